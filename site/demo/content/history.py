"""The demo's 2025, and the 2025—2026 heating season that ends in April 2026: what the site
recorded before the demo is loaded, so the 2025 信息公开工作年度报告 (demo.content.reports) and
the season's quality page have figures (demo.history_loader). Dates are fixed, not relative to
the day of loading: a year that is over does not move.

- NOTICES: outages as the seeds describe them, on the seeds' own days where they give one (seed
  000's pump stations clean their tanks on 10月13日, 8:00 or 9:00 to the next morning; the gas
  works close 铁路小区 for a week), the heat outages with the seeds' causes and time limits
  (seed 002: 一般故障6小时内修复; seed 001: 换热站 maintenance; seed 004: 停电造成供热中断,
  计划停热检修提前48小时告知). Times are China time, "YYYY-MM-DDTHH:MM".
- SUBSCRIBERS, FOLLOWERS: who received the major notices by SMS and 公众号, in the communities
  they concern (numbers in the 1390000xxxx range no one is assigned, openids of the demo).
- REQUESTS: how many requests of each kind each month brought, with what residents wrote
  (the seeds' questions and complaints) and what staff answered; demo.history_loader draws
  the times and outcomes from a fixed seed, within and sometimes beyond the commitments.
- FEE_SEASON and SEASON_PAGE: the 2025—2026 season's fee rules (seed 000: the same 27 and 31
  元/㎡ as every year, 并没有涨价) and its quality page, published before the season."""

from demo.content import fees, reports
from demo.content.notices import HAOYUE_XIAN_BLOCK, WATER_ADVICE, WATER_CAUSE

YEAR = 2025

FEE_SEASON = {
    **fees.SEASON,
    "title": "2025—2026供热期收费标准",
    "slug": "2025-2026",
    "starts_on": (2025, 10, 20),
    "ends_on": (2026, 4, 5),
    "catalogue": {
        "published": "2025-08-25T10:00",
        "written_on": (2025, 8, 25),
        "keywords": "收费标准、居民27元/平方米、非居民31元/平方米、基本热费20%、低保减免、退费",
    },
}

SEASON_PAGE = {
    **reports.SEASON_PAGE,
    "title": "2025—2026年供热期供热质量",
    "slug": "heating-quality-2025-2026",
    "search_description": "2025—2026供热期各月室温达标率、停供时长和服务诉求按时办理情况。",
    "season_start": (2025, 10, 20),
    "season_end": (2026, 4, 5),
    "catalogue": {
        "published": "2025-10-20T09:00",
        "written_on": (2025, 10, 20),
        "keywords": "供热质量、室温达标率、停供时长、服务诉求、2025—2026供热期",
    },
}

HEAT_RESTORED = "已恢复供热，室温将逐步回升。"
WATER_RESTORED = "水箱清洗完毕，已恢复供水。"
MAINTENANCE_ADVICE = "<p>计划停热检修时提前48小时告知用户。停热期间请关好门窗，注意保暖。</p>"
REPAIR_ADVICE = "<p>一般故障6小时内修复完毕。给您带来不便，敬请谅解。</p>"

# Each notice: the page's fields, when it went live ("published"), its start and end as first
# announced ("ends" None: 恢复时间待定), and its timeline: (kind, when, new end or None, text).
NOTICES = [
    {
        "slug": "2025-01-08-kuiwen-pipe-burst",
        "title": "1月8日第五供热所供热管道破裂抢修停热通知",
        "utility": "heat",
        "kind": "emergency",
        "cause": "供热管道破裂",
        "area_name": "奎文嘉苑热力站供热片区",
        "district": "宽城区",
        "station": "第五供热所",
        "communities": ["KC-0002"],
        "published": "2025-01-08T07:05",
        "starts": "2025-01-08T06:40",
        "ends": "2025-01-08T12:40",
        "end_is_estimate": True,
        "details": REPAIR_ADVICE,
        "timeline": [("restored", "2025-01-08T12:05", None, "管道焊补完毕，" + HEAT_RESTORED)],
        "catalogue": {"keywords": "停热、抢修、第五供热所、管道破裂"},
    },
    {
        "slug": "2025-01-21-yujingwan-valve",
        "title": "1月21日第四供热所御景湾热力站停热通知",
        "utility": "heat",
        "kind": "emergency",
        "cause": "外网阀门损坏",
        "area_name": "御景湾热力站",
        "district": "南关区",
        "station": "第四供热所",
        "communities": ["NG-0001"],
        "published": "2025-01-21T14:25",
        "starts": "2025-01-21T14:00",
        "ends": "2025-01-21T22:00",
        "end_is_estimate": True,
        "details": "",
        "timeline": [
            (
                "extended",
                "2025-01-21T20:30",
                "2025-01-22T04:00",
                "阀门更换用时较长，预计恢复时间推迟。",
            ),
            ("restored", "2025-01-22T03:10", None, HEAT_RESTORED),
        ],
        "catalogue": {"keywords": "停热、抢修、第四供热所、阀门损坏"},
    },
    {
        "slug": "2025-02-17-first-station-maintenance",
        "title": "2月17日第一供热所换热站检修停热通知",
        "utility": "heat",
        "kind": "planned",
        "cause": "换热站板式换热器检修",
        "area_name": "犁铧春秋安置房热力站",
        "district": "绿园区",
        "station": "第一供热所",
        "boundary_text": "南至皓月大路,北至西安大路,西至翔运街,东至铁路",
        "polygon": HAOYUE_XIAN_BLOCK,
        "communities": ["LY-0001", "LY-0006"],
        "published": "2025-02-14T10:00",
        "starts": "2025-02-17T08:00",
        "ends": "2025-02-17T20:00",
        "details": MAINTENANCE_ADVICE,
        "timeline": [("restored", "2025-02-17T19:10", None, "检修完毕，" + HEAT_RESTORED)],
        "catalogue": {"keywords": "停热、计划检修、第一供热所、换热站"},
    },
    {
        "slug": "2025-03-04-jinhuayuan-power-cut",
        "title": "3月4日第九供热所锦华苑热力站停热通知",
        "utility": "heat",
        "kind": "emergency",
        "cause": "外部供电线路故障停电，换热站循环泵停运",
        "area_name": "锦华苑热力站",
        "district": "净月区",
        "station": "第九供热所",
        "communities": ["JY-0001"],
        "published": "2025-03-04T09:45",
        "starts": "2025-03-04T09:20",
        "ends": "2025-03-04T13:00",
        "end_is_estimate": True,
        "details": "<p>因停电造成供热中断，供电恢复后即恢复供热。</p>",
        "timeline": [
            ("restored", "2025-03-04T12:50", None, "供电已恢复，循环泵重新启动，供热恢复正常。")
        ],
        "catalogue": {"keywords": "停热、停电、第九供热所、换热站"},
    },
    {
        "slug": "2025-05-13-liaoyang-street-water",
        "title": "5月13日绿园区辽阳街泵站停水通知",
        "utility": "water",
        "kind": "planned",
        "cause": WATER_CAUSE,
        "area_name": "长春市绿园区辽阳街泵站",
        "district": "绿园区",
        "boundary_text": "南至皓月大路,北至西安大路,西至升阳街,东至普阳街",
        "communities": ["LY-0004"],
        "published": "2025-05-10T10:00",
        "starts": "2025-05-13T09:00",
        "ends": "2025-05-14T09:00",
        "details": WATER_ADVICE,
        "timeline": [("restored", "2025-05-14T08:30", None, WATER_RESTORED)],
        "catalogue": {"keywords": "停水、绿园区、辽阳街泵站、清洗水箱"},
    },
    {
        "slug": "2025-05-13-chengxi-water",
        "title": "5月13日绿园区城西泵站停水通知",
        "utility": "water",
        "kind": "planned",
        "cause": WATER_CAUSE,
        "area_name": "长春市绿园区城西泵站",
        "district": "绿园区",
        "boundary_text": "南至隆化路,北至迎宾路两侧,西至西四环路,东至西环城路",
        "communities": ["LY-0005"],
        "published": "2025-05-10T10:00",
        "starts": "2025-05-13T09:00",
        "ends": "2025-05-14T08:00",
        "details": WATER_ADVICE,
        "timeline": [("restored", "2025-05-14T07:40", None, WATER_RESTORED)],
        "catalogue": {"keywords": "停水、绿园区、城西泵站、清洗水箱"},
    },
    {
        "slug": "2025-06-10-railway-community-gas",
        "title": "6月10日至16日黄河路与东八条交会处燃气管网改造停气通知",
        "utility": "gas",
        "kind": "planned",
        "cause": "燃气管网改造工程，需停气施工",
        "area_name": "铁路小区14栋楼及利升伟业",
        "district": "宽城区",
        "households": 1008,
        "communities": ["KC-0001"],
        "contact_phone": "96660",
        "published": "2025-06-06T10:00",
        "starts": "2025-06-10T00:00",
        "ends": "2025-06-17T00:00",
        "end_is_estimate": True,
        "details": (
            "<p>受施工影响直接停气的用户范围是：铁路小区的14栋楼，1007户民用户及利升伟业1户工商业用户。"
            "预计6月17日开始陆续恢复供气。</p><p>停气期间请关闭好阀门开关，在恢复供气期间家中要留人，"
            "如有任何疑问请及时拨打燃气客服热线96660。</p>"
        ),
        "timeline": [
            (
                "restored",
                "2025-06-17T15:00",
                None,
                "管网改造完毕，已陆续恢复供气；恢复供气期间家中要留人。",
            )
        ],
        "catalogue": {"keywords": "停气、宽城区、铁路小区、燃气管网改造"},
    },
    {
        "slug": "2025-10-13-xingyu-east-water",
        "title": "10月13日绿园区星宇东泵站停水通知",
        "utility": "water",
        "kind": "planned",
        "cause": WATER_CAUSE,
        "area_name": "长春市绿园区星宇东泵站",
        "district": "绿园区",
        "boundary_text": "南至皓月大路,北至西安大路,西至翔运街,东至铁路",
        "polygon": HAOYUE_XIAN_BLOCK,
        "communities": ["LY-0001"],
        "published": "2025-10-10T10:00",
        "starts": "2025-10-13T08:00",
        "ends": "2025-10-14T07:00",
        "details": WATER_ADVICE,
        "timeline": [("restored", "2025-10-14T06:30", None, WATER_RESTORED)],
        "catalogue": {"keywords": "停水、绿园区、星宇东泵站、清洗水箱"},
    },
    {
        "slug": "2025-10-13-anju-wanxin-water",
        "title": "10月13日绿园区安居三期泵站、万鑫小区泵站停水通知",
        "utility": "water",
        "kind": "planned",
        "cause": WATER_CAUSE,
        "area_name": "长春市绿园区安居三期泵站、万鑫小区泵站",
        "district": "绿园区",
        "boundary_text": "南至景阳大路,北至锦西路,西至和平大街,东至春城大街",
        "communities": ["LY-0002", "LY-0003"],
        "published": "2025-10-10T10:00",
        "starts": "2025-10-13T09:00",
        "ends": "2025-10-14T08:00",
        "details": WATER_ADVICE,
        "timeline": [("restored", "2025-10-14T07:50", None, WATER_RESTORED)],
        "catalogue": {"keywords": "停水、绿园区、安居三期泵站、万鑫小区泵站、清洗水箱"},
    },
    {
        "slug": "2025-11-05-qiting-pipe-burst",
        "title": "11月5日第二供热所栖庭水岸热力站供热管道破裂抢修停热通知",
        "utility": "heat",
        "kind": "emergency",
        "cause": "供热管道破裂",
        "area_name": "栖庭水岸热力站供热片区",
        "district": "绿园区",
        "station": "第二供热所",
        "communities": ["LY-0007"],
        "published": "2025-11-05T02:40",
        "starts": "2025-11-05T02:10",
        "ends": "2025-11-05T08:10",
        "end_is_estimate": True,
        "details": REPAIR_ADVICE,
        "timeline": [
            (
                "extended",
                "2025-11-05T07:30",
                "2025-11-05T14:00",
                "破裂点位于主干管，需降压更换管段，预计恢复时间推迟。",
            ),
            ("restored", "2025-11-05T13:20", None, HEAT_RESTORED),
        ],
        "catalogue": {"keywords": "停热、抢修、第二供热所、管道破裂"},
    },
    {
        "slug": "2025-11-18-first-station-maintenance",
        "title": "11月18日第一供热所换热站检修停热通知",
        "utility": "heat",
        "kind": "planned",
        "cause": "换热站板式换热器检修",
        "area_name": "犁铧春秋安置房热力站",
        "district": "绿园区",
        "station": "第一供热所",
        "boundary_text": "南至皓月大路,北至西安大路,西至翔运街,东至铁路",
        "polygon": HAOYUE_XIAN_BLOCK,
        "communities": ["LY-0001", "LY-0006"],
        "published": "2025-11-14T10:00",
        "starts": "2025-11-18T08:00",
        "ends": "2025-11-18T20:00",
        "details": MAINTENANCE_ADVICE,
        "timeline": [("restored", "2025-11-18T19:30", None, "检修完毕，" + HEAT_RESTORED)],
        "catalogue": {"keywords": "停热、计划检修、第一供热所、换热站"},
    },
    {
        "slug": "2025-11-27-third-station-maintenance",
        "title": "11月27日第三供热所职工中专热力站检修停热通知（已取消）",
        "utility": "heat",
        "kind": "planned",
        "cause": "换热站板式换热器检修",
        "area_name": "职工中专热力站",
        "district": "朝阳区",
        "station": "第三供热所",
        "communities": ["CY-0101"],
        "published": "2025-11-24T10:00",
        "starts": "2025-11-27T08:00",
        "ends": "2025-11-27T20:00",
        "details": MAINTENANCE_ADVICE,
        "timeline": [
            (
                "cancelled",
                "2025-11-26T15:00",
                None,
                "经现场复核，换热器可带压处理，原定停热检修取消，届时正常供热。",
            )
        ],
        "catalogue": {"keywords": "停热、计划检修、第三供热所、换热站、取消"},
    },
    {
        "slug": "2025-12-09-wenguanhui-valve",
        "title": "12月9日第六供热所文管会热力站停热通知",
        "utility": "heat",
        "kind": "emergency",
        "cause": "外网阀门损坏",
        "area_name": "文管会热力站",
        "district": "二道区",
        "station": "第六供热所",
        "communities": ["ED-0001"],
        "published": "2025-12-09T10:50",
        "starts": "2025-12-09T10:30",
        "ends": "2025-12-09T15:30",
        "end_is_estimate": True,
        "details": "",
        "timeline": [("restored", "2025-12-09T15:05", None, "阀门更换完毕，" + HEAT_RESTORED)],
        "catalogue": {"keywords": "停热、抢修、第六供热所、阀门损坏"},
    },
    {
        "slug": "2025-12-22-kuiwen-pipe-burst",
        "title": "12月22日第五供热所奎文嘉苑热力站供热管道破裂抢修停热通知",
        "utility": "heat",
        "kind": "emergency",
        "cause": "供热管道破裂",
        "area_name": "奎文嘉苑热力站供热片区",
        "district": "宽城区",
        "station": "第五供热所",
        "communities": ["KC-0002"],
        "published": "2025-12-22T22:05",
        "starts": "2025-12-22T21:40",
        "ends": None,
        "details": "<p>恢复时间待定，我们将随时发布抢修进展。</p>",
        "timeline": [
            (
                "info",
                "2025-12-23T09:00",
                None,
                "破裂管段位于小区主干道下，需破路开挖，抢修人员正在连续作业。",
            ),
            ("restored", "2025-12-23T23:55", None, "管段更换完毕，" + HEAT_RESTORED),
        ],
        "catalogue": {"keywords": "停热、抢修、第五供热所、管道破裂"},
    },
]

# Who followed the notices: (community code, "" for the whole city; how many; utilities).
SUBSCRIBERS = [
    ("LY-0001", 18, ("heat", "water")),
    ("LY-0002", 9, ("heat", "water")),
    ("LY-0003", 6, ("heat", "water")),
    ("LY-0004", 7, ("heat", "water")),
    ("LY-0005", 7, ("heat", "water")),
    ("LY-0006", 5, ("heat", "water")),
    ("LY-0007", 6, ("heat", "water")),
    ("KC-0001", 12, ("heat", "gas")),
    ("KC-0002", 8, ("heat",)),
    ("NG-0001", 10, ("heat",)),
    ("JY-0001", 4, ("heat",)),
    ("ED-0001", 4, ("heat",)),
    ("CY-0101", 3, ("heat",)),
    ("", 3, ("heat", "water", "gas")),
]
SUBSCRIBED_ON = "2024-10-15T10:00"  # the season before: the SMS service opened to residents

# 公众号 followers bound to their community: (community code, how many).
FOLLOWERS = [
    ("LY-0001", 10),
    ("LY-0002", 5),
    ("LY-0004", 4),
    ("LY-0005", 4),
    ("LY-0007", 4),
    ("KC-0001", 6),
    ("KC-0002", 5),
    ("NG-0001", 6),
    ("ED-0001", 3),
    ("CY-0101", 2),
]

# Requests by month (China time) and kind. Temperature requests come in the heating seasons
# (2024—2025 until April, 2025—2026 from its start on 10月20日); 报停 before 9月20日 (seed 001)
# and 复供 when the season approaches.
REQUESTS_BY_MONTH = {
    "2025-01": {"temperature": 5, "complaint": 3, "consultation": 2},
    "2025-02": {"temperature": 4, "complaint": 2, "consultation": 1},
    "2025-03": {"temperature": 3, "complaint": 2, "consultation": 2},
    "2025-04": {"complaint": 1, "consultation": 2},
    "2025-05": {"consultation": 1},
    "2025-06": {"complaint": 1, "consultation": 1},
    "2025-07": {"consultation": 2},
    "2025-08": {"consultation": 3, "suspension": 4},
    "2025-09": {"consultation": 4, "suspension": 6, "resumption": 3},
    "2025-10": {"temperature": 4, "complaint": 3, "consultation": 2, "resumption": 4},
    "2025-11": {"temperature": 8, "complaint": 4, "consultation": 2, "resumption": 2},
    "2025-12": {"temperature": 7, "complaint": 3, "consultation": 2},
    "2026-01": {"temperature": 6, "complaint": 3, "consultation": 1},
    "2026-02": {"temperature": 4, "complaint": 2, "consultation": 1},
    "2026-03": {"temperature": 3, "complaint": 2, "consultation": 1},
    "2026-04": {"temperature": 1, "consultation": 1},
}
# The days temperature requests may come on in the months a season starts or ends in.
SEASON_DAYS = {"2025-10": (20, 31), "2026-04": (1, 5)}

DESCRIPTIONS = {
    "temperature": [
        "卧室温度只有16度，申请上门测温。",
        "暖气片上热下凉，起居室温度低，申请测温。",
        "家中老人怕冷，室温不到18度。",
        "地热不热，室温偏低，申请测温。",
        "门窗关闭3小时以上，室温仍达不到16℃。",
        "顶楼暖气不热，申请上门测温。",
    ],
    "complaint": [
        "楼道供热管道漏水，请尽快处理。",
        "报修电话长时间无人接听。",
        "暖气漏水，楼下已经渗水。",
        "维修人员上门没有带鞋套。",
        "热力井冒蒸汽，井盖缺失，很危险。",
        "工作人员上门态度不好。",
    ],
    "consultation": [
        "报停需要带什么材料？",
        "今年交的热费怎么比去年多？",
        "阁楼面积怎么计算热费？",
        "公共地下车库怎么收费？",
        "不知道自己的用户编号怎么办？",
        "在线交完费，想要发票怎么办？",
        "低保家庭有什么优惠？",
        "供热期间恢复供热怎么收费？",
    ],
    "suspension": [
        "房屋本供热期无人居住，申请报停。",
        "房屋出售待过户，申请本期报停。",
        "常年在外地，申请停止用热。",
    ],
    "resumption": [
        "去年报停，今年已补交热费，申请恢复用热。",
        "新房装修完毕入住，申请开阀供热。",
        "已办理信息变更并缴费，预约开阀。",
    ],
}

# What staff wrote at each step (demo.history_loader picks the times).
NOTES = {
    "contacted": {
        "temperature": "电话联系用户，约定上门测温时间。",
        "complaint": "值班员回电，了解情况并派人处理。",
        "consultation": "电话答复用户。",
        "suspension": "联系用户核对卡号和房屋信息。",
        "resumption": "核实已交费，约定开阀时间。",
    },
    "visited": {
        "complaint": "上门处理，现场问题已解决。",
        "suspension": "上门关阀并铅封。",
        "resumption": "上门开阀，试水正常。",
    },
    "closed": {
        "temperature_met": "测温达标，已向用户说明测温结果。",
        "temperature_below": "室温未达标，已排查户内系统并记录不达标天数，按规定办理退费。",
        "complaint": "问题已处理完毕，用户确认。",
        "consultation": "已说明办理要求和收费依据。",
        "suspension": "已关阀，按基本热费20%收取。",
        "resumption": "已开阀恢复供热。",
    },
    "return_visit": "回访用户，对处理结果表示认可。",
}
