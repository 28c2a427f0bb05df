"""Site-wide settings for the demo: the hotlines named in the seeds."""

COMPANY_NAME = "春城热力集团（演示站点）"
OFFICE_ADDRESS = "天华路供热客户服务中心"
HOTLINES = [
    ("service", "24小时客户服务热线", "9612399", "10月10日起至次年4月10日24小时接听"),
    ("supervision", "服务监督热线", "96609", "供热期24小时"),
    ("government", "城市管理服务热线", "12319", ""),
    ("government", "政务服务便民热线", "12345", ""),
]
# The footer's filing numbers (home.filing): clearly fictitious, of 吉林 (the company is in 长春,
# 南关区 220102). A utility is no government body: it has no 网站标识码.
ICP_NUMBER = "吉ICP备00000000号-1"
POLICE_NUMBER = "吉公网安备22010200000000号"
# 长春's heating season (seed 000: 167 days), the one the demo fee rules pro-rate over.
SEASON = ((2026, 10, 20), (2027, 4, 5))
HOME_INTRO = (
    "<p>本站公开供热服务承诺、常见问题、各小区供暖管理员电话和停热停水通知。"
    "演示内容取自公开新闻与供热企业规章；除新闻中出现的名称外，小区、人员和电话均为虚构。</p>"
)
