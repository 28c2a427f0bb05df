"""Seed 004: 曲阜聚源供热有限责任公司's rulebook (《社会服务承诺制度》 and the rules after it),
published on the city's disclosure platform under 法规标准 > 规章制度 on 2024-05-20. The page
is imported from the Word fixture the docx parser is tested with, when both exist."""

REGULATION_INDEX = {
    "title": "法规标准",
    "slug": "regulations",
    "search_description": "供热相关法规、标准和本单位规章制度。",
    "intro": "<p>公开本单位执行的供热法规、服务标准和规章制度，可在线阅读或下载原文。</p>",
}

RULEBOOK = {
    "fixture": "tests/data/docx/rulebook_004.docx",
    "title": "曲阜聚源供热有限责任公司规章制度",
    "slug": "rulebook",
    "issuing_body": "曲阜聚源供热有限责任公司",
    "effective_date": (2024, 5, 20),
}
