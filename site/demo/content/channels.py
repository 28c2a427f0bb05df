"""Recipients of the robot and press channels for the demo. Nothing here reaches anyone: the
robot keys start with "demo-", which only the local stand-in knows (`python
standins/wecom_robot.py --key-prefix demo-`, README), and the e-mail addresses are on the
example domains (RFC 2606), which dev prints to the console anyway."""

# (community code, building): one 供热管家群 per building, as seed 001 has them, for the
# communities of the demo's major notices.
ROBOTS = [
    ("LY-0001", "1号楼"),
    ("LY-0001", "2号楼"),
    ("LY-0001", "3号楼"),
    ("LY-0002", "5号楼"),
    ("LY-0003", "8号楼"),
    ("LY-0004", "2号楼"),
    ("LY-0005", "1号楼"),
    ("LY-0006", "6号楼"),
]

# (outlet, desk, address)
PRESS = [
    ("长春日报（演示）", "城市新闻部", "city-desk@example.cn"),
    ("城市晚报（演示）", "民生热线", "hotline-desk@example.cn"),
    ("吉林广播电视台（演示）", "新闻中心值班室", "newsroom@example.com"),
]
