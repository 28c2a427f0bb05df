"""The 法规标准 column of the demo.

Seed 004: 曲阜聚源供热有限责任公司's rulebook (《社会服务承诺制度》 and the rules after it),
published on the city's disclosure platform under 法规标准 > 规章制度 on 2024-05-20. The page
is imported from the Word fixture the docx parser is tested with, when both exist.

Seed 000: the two articles of the national standard 《建筑工程建筑面积计算规范》
(GB/T 50353-2013) that the fee rules for attics and basements rest on, quoted as the seed
quotes them; the page says it is an excerpt."""

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
    "catalogue": {
        "written_on": (2024, 5, 20),
        "keywords": "社会服务承诺、供热服务规范、首问负责、限时办结、来访接待、测温、退费",
    },
}

FLOOR_AREA_STANDARD = {
    "title": "建筑工程建筑面积计算规范（摘录）",
    "slug": "gb-t-50353-2013",
    "search_description": "阁楼、地下室热费计费面积有异议时依据的建筑面积计算条文（第3.0.3条、第3.0.5条）。",
    "document_number": "GB/T 50353-2013",
    "issuing_body": "住房和城乡建设部、国家质量监督检验检疫总局",
    "effective_date": (2014, 7, 1),
    "body": [
        {
            "type": "paragraph",
            "value": (
                "<p>供用热双方对住宅阁楼、地下室的热费计费面积存在异议的，依据国家标准"
                "《建筑工程建筑面积计算规范》确认建筑面积，收取热费。本页摘录所依据的两条条文，"
                "全文以正式出版的标准文本为准。</p>"
            ),
        },
        {
            "type": "article",
            "value": {
                "number": "第3.0.3条",
                "ordinal": 303,
                "text": (
                    "<p>对于形成建筑空间的坡屋顶，结构净高在2.10m及以上的部位应计算全面积，"
                    "结构净高在1.20m及以上至2.10m以下的部位应计算1/2面积；"
                    "结构净高在1.20m以下的部位不应计算建筑面积。</p>"
                ),
            },
        },
        {
            "type": "article",
            "value": {
                "number": "第3.0.5条",
                "ordinal": 305,
                "text": (
                    "<p>地下室、半地下室应按其结构外围水平面积计算。结构层高在2.20m及以上的，"
                    "应计算全面积；结构层高在2.20m以下的，应计算1/2面积。</p>"
                ),
            },
        },
        {
            "type": "paragraph",
            "value": (
                "<p>阁楼、地下室未安装采暖装置的，暂不收费；安装采暖装置的，按房屋产权证记载的建筑面积收取热费。"
                "详见“收费标准及依据”栏目。</p>"
            ),
        },
    ],
    "catalogue": {
        "written_on": (2013, 12, 19),
        "genre": "standard",
        "keywords": "建筑面积、坡屋顶、阁楼、地下室、热费计费面积",
    },
}
