"""Two collections (专题) of the demo, built as staff build them in the admin: a station's water
outages in the coming days, and a branch's every gas outage. The demo notices lie a few days
ahead of the day of loading (demo.content.notices), so both have something to show whatever
the weekday; a "本周" (this week) collection would be empty from Friday to Sunday."""

COLLECTIONS = [
    {
        "title": "第一供热所未来7天停水",
        "slug": "first-station-water-7-days",
        "search_description": "第一供热所所辖小区未来7天（含今天）的停水通知，可订阅。",
        "intro": "<p>第一供热所所辖小区的停水通知，按访问当天起7天计算，随时自动更新。</p>",
        "utilities": ["water"],
        "stations": ["第一供热所"],
        "window": "next_7_days",
    },
    {
        "title": "宽城区全部停气",
        "slug": "kuancheng-gas",
        "search_description": "宽城供热分公司供热范围内的全部停气通知，可订阅。",
        "intro": "<p>宽城供热分公司各供热所所辖小区的停气通知，含已恢复的。</p>",
        "utilities": ["gas"],
        "branches": ["宽城供热分公司"],
        "window": "all",
    },
]
