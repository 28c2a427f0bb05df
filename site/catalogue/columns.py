"""The columns of the disclosure catalogue (信息公开目录), in the order the 住建部 measures for
供水、供气、供热 (建城规〔2021〕4号) list what a utility discloses. The one place that knows them:
the catalogue page, the feeds, the change API, the exports and the 索引号 all read this module.

`key` is the column's address in URLs and feeds (the portal maps it one to one, docs/feeds.md)
and never changes; `code` is its part of every 索引号 given in it."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.enums import Genre, Topic


class Column(models.TextChoices):
    PROFILE = "profile", _("单位概况")
    OUTLETS = "outlets", _("服务网点")
    FEES = "fees", _("收费标准及依据")
    GUIDES = "guides", _("办事指南")
    COMMITMENTS = "commitments", _("服务承诺")
    OUTAGES = "outages", _("停供信息")
    SAFETY = "safety", _("安全常识")
    COMPLAINTS = "complaints", _("投诉渠道")
    REGULATIONS = "regulations", _("法规标准／规章制度")
    DISCLOSURE_GUIDE = "disclosure-guide", _("信息公开指南")
    REPORTS = "reports", _("年度报告")


@dataclass(frozen=True)
class ColumnRules:
    code: str  # its part of the 索引号: credit code / code - year - serial
    genre: str  # the 体裁 an item of the column gets unless the editor picks another
    topic: str  # the same for the 主题分类
    description: str


RULES: dict[str, ColumnRules] = {
    Column.PROFILE: ColumnRules(
        "01",
        Genre.PROFILE,
        Topic.ORGANISATION,
        _("企业名称、统一社会信用代码、地址、许可与供热范围。"),
    ),
    Column.OUTLETS: ColumnRules(
        "02", Genre.DIRECTORY, Topic.SERVICE, _("分公司、供热站和小区管家的地址与电话。")
    ),
    Column.FEES: ColumnRules(
        "03", Genre.STANDARD, Topic.PRICES, _("供热收费标准、价格文件与退费规则。")
    ),
    Column.GUIDES: ColumnRules(
        "04",
        Genre.GUIDE,
        Topic.SERVICE,
        _("报装、报停、复供、测温、缴费、发票的材料、流程与时限。"),
    ),
    Column.COMMITMENTS: ColumnRules(
        "05", Genre.COMMITMENT, Topic.SERVICE, _("服务承诺与办理时限。")
    ),
    Column.OUTAGES: ColumnRules("06", Genre.NOTICE, Topic.OUTAGES, _("计划停供与抢修停供通知。")),
    Column.SAFETY: ColumnRules("07", Genre.KNOWLEDGE, Topic.SAFETY, _("安全用热、用气常识。")),
    Column.COMPLAINTS: ColumnRules(
        "08", Genre.GUIDE, Topic.SERVICE, _("服务热线、12345热线与网上客服。")
    ),
    Column.REGULATIONS: ColumnRules(
        "09", Genre.REGULATION, Topic.REGULATIONS, _("法律法规、服务标准与企业规章制度。")
    ),
    Column.DISCLOSURE_GUIDE: ColumnRules(
        "10", Genre.GUIDE, Topic.ORGANISATION, _("公开的内容、方式、时限与申请途径。")
    ),
    Column.REPORTS: ColumnRules(
        "11", Genre.REPORT, Topic.REPORTS, _("信息公开工作年度报告与供热质量。")
    ),
}
