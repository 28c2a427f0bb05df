"""The service desk's calendar and a season's worth of requests to show it working.

HOLIDAYS: 国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12) and 关于2026年部分节假日安排的
通知 (2025-11-04): each holiday and each weekend day worked in exchange (2025's for the deadlines
of the demo's 2025 requests, demo.history_loader). The 2027 notice is published late in the
year; the company enters it in the admin (节假日安排) when it appears.

REQUESTS: what residents of the demo communities asked, as the seeds describe such requests;
(days ago submitted, hour, kind, community code, description, what staff did, rating); a
request of today gives its hour relative to the moment of loading (-2: two hours ago).
Numbers are in the 1390000xxxx range no one is assigned."""

HOLIDAYS = [
    ("2025-01-01", "holiday", "元旦"),
    ("2025-01-26", "workday", "春节调休上班"),
    *((f"2025-01-{day}", "holiday", "春节") for day in range(28, 32)),
    *((f"2025-02-0{day}", "holiday", "春节") for day in range(1, 5)),
    ("2025-02-08", "workday", "春节调休上班"),
    *((f"2025-04-0{day}", "holiday", "清明节") for day in range(4, 7)),
    ("2025-04-27", "workday", "劳动节调休上班"),
    *((f"2025-05-0{day}", "holiday", "劳动节") for day in range(1, 6)),
    ("2025-05-31", "holiday", "端午节"),
    ("2025-06-01", "holiday", "端午节"),
    ("2025-06-02", "holiday", "端午节"),
    ("2025-09-28", "workday", "国庆节调休上班"),
    *((f"2025-10-0{day}", "holiday", "国庆节、中秋节") for day in range(1, 9)),
    ("2025-10-11", "workday", "国庆节调休上班"),
    ("2026-01-01", "holiday", "元旦"),
    ("2026-01-02", "holiday", "元旦"),
    ("2026-01-03", "holiday", "元旦"),
    ("2026-01-04", "workday", "元旦调休上班"),
    ("2026-02-14", "workday", "春节调休上班"),
    *((f"2026-02-{day}", "holiday", "春节") for day in range(15, 24)),
    ("2026-02-28", "workday", "春节调休上班"),
    ("2026-04-04", "holiday", "清明节"),
    ("2026-04-05", "holiday", "清明节"),
    ("2026-04-06", "holiday", "清明节"),
    *((f"2026-05-0{day}", "holiday", "劳动节") for day in range(1, 6)),
    ("2026-05-09", "workday", "劳动节调休上班"),
    ("2026-06-19", "holiday", "端午节"),
    ("2026-06-20", "holiday", "端午节"),
    ("2026-06-21", "holiday", "端午节"),
    ("2026-09-20", "workday", "国庆节调休上班"),
    ("2026-09-25", "holiday", "中秋节"),
    ("2026-09-26", "holiday", "中秋节"),
    ("2026-09-27", "holiday", "中秋节"),
    *((f"2026-10-0{day}", "holiday", "国庆节") for day in range(1, 8)),
    ("2026-10-10", "workday", "国庆节调休上班"),
]

# What staff did, in hours after submission: ("contacted" | "visited" | "temperature" |
# "closed" | "return_visit", hours after, note). A temperature step measures a 16 ㎡ bedroom.
REQUESTS = [
    (
        34,
        9,
        "temperature",
        "LY-0001",
        "卧室温度只有15度，暖气片上热下凉，申请上门测温。",
        [
            ("contacted", 0.5, "电话联系用户，约定次日上午9点上门测温。"),
            ("temperature", 20, "主卧 16.2℃"),
            ("closed", 22, "排气后复测达标，已向用户说明。"),
            ("return_visit", 26, "用户表示温度正常。"),
        ],
        5,
    ),
    (
        30,
        20,
        "complaint",
        "LY-0002",
        "楼道供热管道漏水，报修后一直没人来。",
        [
            ("contacted", 0.6, "值班员回电，已派维修班组。"),
            ("visited", 2, "更换阀门垫片，漏点处理完毕。"),
            ("closed", 3, "漏点处理完毕，用户确认。"),
            ("return_visit", 16, "回访用户，无再次漏水。"),
        ],
        4,
    ),
    (
        28,
        15,
        "suspension",
        "LY-0003",
        "房屋本供热期无人居住，申请报停。",
        [
            ("contacted", 3, "联系用户核对卡号和房屋信息。"),
            ("visited", 70, "上门关阀并铅封。"),
            ("closed", 71, "已关阀，按基本热费20%收取。"),
            ("return_visit", 90, "用户知悉收费标准。"),
        ],
        5,
    ),
    (
        26,
        10,
        "consultation",
        "LY-0001",
        "今年交的热费怎么比去年多？",
        [
            ("contacted", 2, "电话说明：去年享受的低保减免今年未申请。"),
            ("closed", 30, "已说明收费依据，指导补办减免手续。"),
        ],
        3,
    ),
    (
        20,
        8,
        "resumption",
        "LY-0004",
        "去年报停，今年已补交热费，申请恢复用热。",
        [
            ("contacted", 1, "核实已交费，约定开阀时间。"),
            ("visited", 40, "上门开阀，试水正常。"),
            ("closed", 40.5, "已开阀恢复供热。"),
        ],
        None,
    ),
    (
        12,
        21,
        "complaint",
        "LY-0005",
        "工作人员上门态度不好。",
        [
            ("contacted", 1.5, "供热所所长致电致歉，了解经过。"),
            ("closed", 20, "已对相关人员批评教育并纳入考核。"),
            ("return_visit", 34, "用户接受处理结果。"),
        ],
        2,
    ),
    (
        3,
        14,
        "temperature",
        "LY-0006",
        "起居室温度低，老人在家冷，申请测温。",
        [("contacted", 0.8, "已联系用户，约定明早上门。")],
        None,
    ),
    (0, -2, "consultation", "LY-0002", "报停需要带什么材料？", [], None),
]
