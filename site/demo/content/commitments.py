"""Service commitments exactly as the seed documents publish them.

Seed 002: a heating company's 服务标准 with its 20-row 业务办理时限 table.
Seed 004: 曲阜聚源供热有限责任公司《社会服务承诺制度》 and its 测温、退费管理规定.
Seed 001: 长春市供热集团's 2019-2020 heating-season promises (21℃ at 98 %, 25 minutes to a leak)."""

COMMITMENT_INDEX = {
    "title": "服务承诺",
    "slug": "commitments",
    "search_description": "我们公开承诺的服务标准、办理时限和室温标准。",
    "intro": "<p>以下承诺接受社会监督。未按承诺办理的，请拨打服务监督热线。</p>",
}

CONNECTION_NOTE = "此时间不包括合同签订、施工、办理相关行政审批等供热专营企业无法控制的时间。"

SERVICE_STANDARD = {
    "slug": "service-standard",
    "title": "服务标准与业务办理时限",
    "search_description": "开户报装、报停、恢复用热、抢修等20项业务的办理时限。",
    "intro": (
        "<p>集中供热时间：供暖期为120天，即当年11月15日至次年3月15日，公休、节假日不间断供热，"
        "当年具体供热时间根据当地人民政府调整。</p>"
        "<p>集中收费起止时间：当年9月8日—10月31日。非集中收费期也可缴费，缴费时限为集中收费期始"
        "（9月8日）至集中供暖期止（3月15日）。</p>"
        "<p>报修程序：用户拨打服务热线或专属管家电话，详细说明抢修地点与现场情况—热线与管家及时受理—"
        "管家根据工单情况及时到达现场处理。</p>"
    ),
    "standard_temperature": "18.0",
    "season": (11, 15, 3, 15, 120),
    "source": "《热力有限公司服务标准》第5条 业务办理时限",
    "catalogue": {
        "written_on": (2026, 10, 9),
        "genre": "standard",
        "keywords": "服务标准、业务办理时限、开户报装、在线报停、恢复用热、抢修",
    },
    # (key, category, service item, limit value, unit, requirement as published, note)
    "commitments": [
        (
            "new-development-connection",
            "business",
            "新建小区开户报装",
            25,
            "working_days",
            "1个工作日出具回复意见，18个工作日勘查设计，4个工作日单项竣工验收，2个工作日投入使用、"
            "开阀通热、回访，整个过程共计25个工作日。",
            CONNECTION_NOTE,
        ),
        (
            "existing-building-connection",
            "business",
            "既有楼宇开户报装",
            25,
            "working_days",
            "1个工作日受理开户申请，20个工作日勘查设计，2个工作日单项竣工验收，2个工作日投入使用、"
            "开阀通热、回访，整个过程共计25个工作日。",
            CONNECTION_NOTE,
        ),
        (
            "household-connection",
            "business",
            "居民单户补户开户报装（受理时间为5月-9月）",
            25,
            "working_days",
            "1个工作日受理开户申请，18个工作日勘查设计，4个工作日单项竣工验收，2个工作日投入使用、"
            "开阀通热、回访，整个过程共计25个工作日。",
            CONNECTION_NOTE,
        ),
        ("card-number-enquiry", "enquiry", "卡号查询", None, "immediate", "即时查询。", ""),
        ("steward-enquiry", "enquiry", "供暖管家查询", None, "immediate", "即时查询。", ""),
        ("service-point-enquiry", "enquiry", "服务站点查询", None, "immediate", "即时查询。", ""),
        ("fee-payment", "business", "采暖费缴纳", None, "immediate", "即时缴纳。", "收费期内"),
        ("e-invoice", "enquiry", "电子发票", None, "immediate", "即时查询、下载", ""),
        ("online-suspension", "business", "在线报停", 7, "working_days", "7个工作日内关阀", ""),
        (
            "resume-heating",
            "business",
            "恢复用热",
            48,
            "hours",
            "如期已交费用户，11月15日前确保开阀，正式供暖后延期交费用户，48小时内预约开阀。",
            "",
        ),
        (
            "temperature-test",
            "quality",
            "测温申请",
            None,
            "immediate",
            "即时受理，供暖管家与客户联系，预约处理时间。",
            "若用户对室内温度存有异议，可提出测温申请。",
        ),
        (
            "area-verification",
            "business",
            "供热面积核准",
            3,
            "working_days",
            "窗口即时受理完成核准；线上办理3个工作日完成资料审核。审核结果第一时间通知客户。",
            "",
        ),
        (
            "ownership-transfer",
            "business",
            "过户业务",
            3,
            "working_days",
            "窗口即时受理完成核准；线上办理3个工作日完成资料审核。审核结果第一时间通知客户。",
            "",
        ),
        (
            "pipe-burst-repair",
            "emergency",
            "供热管道破裂、供热阀门损坏或热力井大量冒蒸汽",
            6,
            "hours",
            "一般故障6小时内修复完毕，重大故障20小时内修复。",
            "",
        ),
        (
            "manhole-cover",
            "emergency",
            "井盖类问题",
            40,
            "minutes",
            "40分钟内到达现场处理、设置安全警示标志，2小时内对缺失、损毁井盖进行补装、更换；"
            "需要大修井口的24小时内完成。",
            "",
        ),
        (
            "indoor-leak",
            "emergency",
            "户内漏水类问题",
            40,
            "minutes",
            "15分钟内与客户联系，40分钟内到达现场处理。",
            "",
        ),
        (
            "valve-repair",
            "repair",
            "供热阀门损坏",
            2,
            "working_days",
            "即时受理，2个工作日内完成。",
            "",
        ),
        (
            "unexplained-outage",
            "complaint",
            "不明原因停暖",
            1,
            "hours",
            "供热公司1小时内到达现场处置，3小时内回复停暖原因。",
            "按照投诉件的处理时限处理。",
        ),
        (
            "online-consultation",
            "complaint",
            "在线咨询",
            1,
            "hours",
            "即时受理无法立即回复的问题，供暖管家1小时内与客户联系，预约处理时间。",
            "",
        ),
        (
            "complaint-suggestion",
            "complaint",
            "投诉建议",
            1,
            "hours",
            "即时受理无法立即回复的问题，责任部门或供暖管家1小时内与用户联系，预约处理时间。",
            "",
        ),
    ],
}

SOCIAL_COMMITMENT = {
    "slug": "social-service-commitment",
    "title": "社会服务承诺制度",
    "search_description": "室温18℃、故障24小时内恢复供暖、计划停热提前48小时告知、投诉24小时内答复。",
    "intro": (
        "<p>以“发展集中供热事业 提高居民生活质量”为宗旨，以“服务为天，不断提升服务技能、端正服务态度、"
        "规范服务行为、明确服务标准、认真落实首问负责制，用真心、真情、真意打造聚源供热服务品牌”为目的，"
        "为用户提供优质、高效、文明、诚信的服务。</p>"
        "<ul><li>第三条 实施供热规范化服务，对用户主动、礼貌、耐心、热情，使用规范文明用语。</li>"
        "<li>第四条 严格执行物价局审批的热价，杜绝乱收费、乱加价、乱罚款。</li>"
        "<li>第五条 采暖期一般为120天，从每年11月15日起至次年3月15日止。</li>"
        "<li>第六条 集中供热采暖期内，在用户房屋采暖设施设计合理、保暖措施得当的情况下，用户居室温度18℃。</li>"
        "<li>第七条 “一站式”服务，来有迎声去有送声。</li></ul>"
    ),
    "standard_temperature": "18.0",
    "season": (11, 15, 3, 15, 120),
    "source": "曲阜聚源供热有限责任公司《社会服务承诺制度》第二节、第四节；《热用户测温、退费管理规定》第一条",
    # Seed 004 as 曲阜聚源 published it, on 2024-05-20.
    "catalogue": {
        "written_on": (2024, 5, 20),
        "genre": "regulation",
        "keywords": "社会服务承诺、室温18℃、故障恢复、计划停热告知、投诉答复",
    },
    "commitments": [
        (
            "equipment-fault-restore",
            "emergency",
            "非热源单位原因的设备故障",
            24,
            "hours",
            "非热源单位原因的设备故障，24小时内恢复供暖。",
            "第八条",
        ),
        (
            "general-fault",
            "repair",
            "用户报修的一般用热故障",
            4,
            "hours",
            "对用户保修的一般用热故障在4小时内处理完结。",
            "第八条",
        ),
        (
            "planned-outage-notice",
            "outage",
            "计划停热检修",
            48,
            "hours",
            "计划停热检修时提前48小时告知用户。",
            "第八条：在停热开始前至少48小时发布停热通知",
        ),
        (
            "complaint-reply",
            "complaint",
            "投诉、咨询及反映的问题",
            24,
            "hours",
            "对用户的投诉、咨询及反映的问题，24小时内必须给予答复，并及时给予处理。",
            "第十二条",
        ),
        (
            "indoor-system-repair",
            "repair",
            "室内采暖系统故障报修",
            24,
            "hours",
            "客户服务中心、供热所接到报修电话后，应于24小时内或在与热用户商定的时间内派人到现场进行检修，"
            "排除用户室内采暖系统故障。",
            "《热用户测温、退费管理规定》第一条第2款",
        ),
    ],
}

SEASON_PROMISE = {
    "slug": "season-promise",
    "title": "供热期服务承诺",
    "search_description": "居民卧室和起居室平均温度21℃、达标率98%；跑冒滴漏25分钟内到达现场。",
    "intro": (
        "<p>在达到《长春市城市供热管理条例》规定的18℃标准的同时，全力保障居民住宅用户卧室和起居室"
        "平均温度达到21℃标准，达标率98%。温度不达标的用户请第一时间联系我们上门提供技术帮助。</p>"
        "<p>坚持“开栓供热即达标，正式供热即舒适”的服务理念。</p>"
    ),
    "standard_temperature": "18.0",
    "promised_temperature": "21.0",
    "promised_rate": 98,
    "season": (11, 15, 3, 15, 120),
    "source": "长春市供热集团2019-2020供热期服务承诺",
    "catalogue": {
        "written_on": (2026, 10, 9),
        "keywords": "供热期服务承诺、室温21℃、达标率98%、跑冒滴漏、12345、回访",
    },
    "commitments": [
        (
            "leak-on-site",
            "emergency",
            "跑冒滴漏事故报修",
            25,
            "minutes",
            "用户报修处理跑冒滴漏事故，接到报修在25分钟内到达现场处理，避免损失扩大。",
            "用户发生损失的，第一时间清点损失，多点拍照取证，取得用户签字清单。",
        ),
        (
            "hotline-complaint",
            "complaint",
            "12345、12319投诉件",
            24,
            "hours",
            "严格执行12345、12319投诉件办理程序，24小时内办理完毕；如用户有特殊原因需报备客服中心，"
            "另行约定的必须72小时内办结。",
            "",
        ),
        (
            "complaint-return-visit",
            "complaint",
            "投诉处理后回访",
            24,
            "hours",
            "用户投诉处理完毕后，二级客服必须在24小时内对用户进行回访。",
            "回访一般不在早7点以前、晚10点以后和用餐、午休时间进行。",
        ),
        (
            "refund-processing",
            "business",
            "退费办理",
            1,
            "days",
            "由用户、社区供热专干、我方工作人员三方共同测温方为有效，由供热管理部门开据“退费裁定单”，"
            "供热结束后按要求办理相关退费手续，退费一日内办结。",
            "",
        ),
        (
            "major-outage-notice",
            "outage",
            "预计停热八小时以上的告知",
            None,
            "immediate",
            "故障、抢修、停水、停电对供热造成影响的要第一时间发布；预计停热八小时以上的，及时通过媒体、"
            "互联网、微信公众号、微信群、短信等媒介告知用户。",
            "",
        ),
    ],
}

COMMITMENT_PAGES = [SERVICE_STANDARD, SOCIAL_COMMITMENT, SEASON_PROMISE]
