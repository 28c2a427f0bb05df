"""The demo directory: branches, stations and at least 520 communities.

Names that appear in the seed documents (星宇, 安居三期, 万鑫小区, 铁路小区 and the ten 供热所
with their offices) are kept; every other community name, person and phone number is generated
and plainly fictitious: landlines read 0431-0000-xxxx and mobiles 1390000xxxx, numbers that
are never assigned."""

import random

DIRECTORY_PAGE = {
    "title": "联系名录",
    "slug": "directory",
    "search_description": "各分公司、供热站和小区供暖管理员的电话。",
    "intro": (
        "<p>按小区名称或拼音首字母查找您家小区，即可看到供暖管理员和供热站电话。"
        "演示数据：除新闻中出现的小区外，其余小区名称、人员和电话均为虚构。</p>"
    ),
    "catalogue": {
        "written_on": (2026, 10, 10),
        "keywords": "服务网点、分公司、供热站、供暖管理员、联系电话",
    },
}

DISTRICTS = {
    "绿园区": "LY",
    "朝阳区": "CY",
    "南关区": "NG",
    "宽城区": "KC",
    "二道区": "ED",
    "经开区": "JK",
    "高新区": "GX",
    "净月区": "JY",
}

BRANCHES = [
    (f"{district.removesuffix('区')}供热分公司", district, f"0431-0000-{index:02d}00")
    for index, district in enumerate(DISTRICTS, start=1)
]

# Seed 004's 第一至第十供热所 and their offices, spread over the districts.
STATIONS = [
    ("第一供热所", "绿园区", "犁铧春秋安置房热力站"),
    ("第二供热所", "绿园区", "栖庭水岸热力站"),
    ("第三供热所", "朝阳区", "职工中专热力站"),
    ("第四供热所", "南关区", "御景湾热力站"),
    ("第五供热所", "宽城区", "奎文嘉苑热力站"),
    ("第六供热所", "二道区", "文管会热力站"),
    ("第七供热所", "经开区", "工商局热力站"),
    ("第八供热所", "高新区", "体育局热力站"),
    ("第九供热所", "净月区", "锦华苑热力站"),
    ("第十供热所", "朝阳区", "自来水热力站"),
]

# (code, name, aliases, district, address, households, station)
SEED_COMMUNITIES = [
    (
        "LY-0001",
        "星宇小区",
        "星宇东、星宇家园",
        "绿园区",
        "皓月大路以北、翔运街以东",
        2160,
        "第一供热所",
    ),
    (
        "LY-0002",
        "安居三期",
        "安居小区三期",
        "绿园区",
        "景阳大路以北、和平大街以东",
        1480,
        "第一供热所",
    ),
    ("LY-0003", "万鑫小区", "", "绿园区", "锦西路以南、春城大街以西", 960, "第二供热所"),
    ("LY-0004", "辽阳街小区", "", "绿园区", "辽阳街与西安大路交汇", 1120, "第二供热所"),
    ("LY-0005", "城西小区", "城西花园", "绿园区", "迎宾路与西环城路交汇", 1350, "第二供热所"),
    ("LY-0006", "犁铧春秋安置房", "犁铧春秋", "绿园区", "", 820, "第一供热所"),
    ("LY-0007", "栖庭水岸", "", "绿园区", "", 640, "第二供热所"),
    ("KC-0001", "铁路小区", "铁路宿舍", "宽城区", "黄河路与东八条交会处", 1007, "第五供热所"),
    ("KC-0002", "奎文嘉苑", "", "宽城区", "", 730, "第五供热所"),
    ("NG-0001", "御景湾", "御景湾小区", "南关区", "", 1260, "第四供热所"),
    ("JY-0001", "锦华苑", "", "净月区", "", 580, "第九供热所"),
    ("ED-0001", "江畔人家", "", "二道区", "", 387, "第六供热所"),
]

NAME_HEADS = [
    "春华",
    "锦绣",
    "翠湖",
    "明珠",
    "阳光",
    "幸福",
    "和平",
    "长青",
    "金桥",
    "银河",
    "紫荆",
    "丽水",
    "东方",
    "华府",
    "欣园",
    "康乐",
    "书香",
    "怡景",
    "兴业",
    "盛世",
    "祥和",
    "云山",
    "松柏",
    "桂园",
    "梧桐",
    "丰泽",
    "嘉和",
    "宏达",
    "瑞祥",
    "泰和",
    "新民",
    "朝晖",
    "永安",
    "福星",
    "天顺",
    "静湖",
]
NAME_TAILS = ["花园", "家园", "小区", "雅苑", "新城", "佳园", "公寓", "名苑", "丽景", "尚居"]
PHASES = ["", "一期", "二期", "三期"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = [
    "建国",
    "秀兰",
    "海涛",
    "丽华",
    "志强",
    "桂芳",
    "国庆",
    "玉梅",
    "立新",
    "春燕",
    "德明",
    "淑珍",
]
GENERATED_COUNT = 510


def generated_communities(stations_by_district: dict[str, list[str]]) -> list[tuple]:
    """Deterministic: the same 510 fictitious communities on every run."""
    rng = random.Random(2026)
    taken = {name for _, name, *_ in SEED_COMMUNITIES}
    rows = []
    counters = dict.fromkeys(DISTRICTS, 100)
    districts = list(DISTRICTS)
    while len(rows) < GENERATED_COUNT:
        name = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS) + rng.choice(PHASES)
        if name in taken:
            continue
        taken.add(name)
        district = districts[len(rows) % len(districts)]
        counters[district] += 1
        code = f"{DISTRICTS[district]}-{counters[district]:04d}"
        station = rng.choice(stations_by_district[district])
        manager = rng.choice(SURNAMES) + rng.choice(GIVEN)
        phone = f"1390000{len(rows) + 1:04d}"
        households = rng.randrange(120, 2400, 10)
        rows.append((code, name, "", district, "", households, station, manager, phone))
    return rows
