import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from chinese_text import segmentation, vocabulary
from contacts import pinyin
from importers.directory_csv import PHONE_PATTERN

phone_validator = RegexValidator(
    PHONE_PATTERN, _("请填写有效的电话号码：至少5位数字，可用空格或短横线分隔。")
)
ALIAS_SEPARATORS = re.compile(r"[,，、;；/\s]+")


class Branch(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    address = models.CharField(_("地址"), max_length=160, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True, validators=[phone_validator])
    business_hours = models.CharField(_("营业时间"), max_length=80, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("business_hours"),
    ]

    class Meta:
        verbose_name = _("分公司")
        verbose_name_plural = _("分公司")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StationKind(models.TextChoices):
    OFFICE = "office", _("供热所")
    SUBSTATION = "substation", _("换热站")


class Station(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(
        _("类型"), max_length=20, choices=StationKind.choices, default=StationKind.OFFICE
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("所属分公司"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stations",
    )
    office_address = models.CharField(_("办公地点"), max_length=160, blank=True)
    phone = models.CharField(_("服务电话"), max_length=30, blank=True, validators=[phone_validator])
    person_in_charge = models.CharField(_("负责人"), max_length=30, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("branch"),
        FieldPanel("office_address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("person_in_charge")]),
    ]

    class Meta:
        verbose_name = _("供热站")
        verbose_name_plural = _("供热站")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityQuerySet(models.QuerySet):
    def for_directory(self):
        """Everything a directory or community page shows, in one query."""
        return self.select_related("station", "station__branch")

    def lookup(self, query: str):
        """Substring of the name or an alias, or pinyin (initials or full) of either."""
        query = query.strip()
        if not query:
            return self.none()
        condition = models.Q(name__icontains=query) | models.Q(aliases__icontains=query)
        key = pinyin.normalise_query(query)
        if key:
            condition |= models.Q(pinyin_key__contains=key)
        return self.filter(condition)


class Community(index.Indexed, models.Model):
    code = models.SlugField(
        _("编号"),
        max_length=40,
        unique=True,
        help_text=_("导入导出时识别小区的固定编号，例如 LY-0001；请勿重复使用。"),
    )
    name = models.CharField(_("小区名称"), max_length=60)
    aliases = models.CharField(
        _("别名"),
        max_length=200,
        blank=True,
        help_text=_("多个别名用逗号或顿号分隔，例如：星宇小区、星宇东"),
    )
    district = models.CharField(_("所在区"), max_length=30)
    address = models.CharField(_("地址"), max_length=160, blank=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    station = models.ForeignKey(
        Station, verbose_name=_("供热站"), on_delete=models.PROTECT, related_name="communities"
    )
    manager_name = models.CharField(_("小区供暖管理员"), max_length=30, blank=True)
    manager_phone = models.CharField(
        _("管理员电话"), max_length=30, blank=True, validators=[phone_validator]
    )
    pinyin_key = models.CharField(max_length=400, editable=False, db_index=True, default="")

    objects = CommunityQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldPanel("aliases"),
        FieldRowPanel([FieldPanel("district"), FieldPanel("households")]),
        FieldPanel("address"),
        FieldPanel("station"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("manager_name"), FieldPanel("manager_phone")])],
            heading=_("管理员"),
        ),
    ]
    # The manager's name and phone stay out: search results show no personal data.
    search_fields = [
        index.SearchField("search_title", boost=2),
        index.SearchField("search_text"),
    ]

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["district", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.set_pinyin_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "aliases"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "pinyin_key"}
        super().save(*args, **kwargs)

    def set_pinyin_key(self) -> None:
        """Derived from the name and aliases: save() sets it, and so must bulk writes."""
        self.pinyin_key = pinyin.search_key(self.name, *self.alias_list)

    @property
    def alias_list(self) -> list[str]:
        return [alias for alias in ALIAS_SEPARATORS.split(self.aliases) if alias]

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().select_related("station")

    def search_title(self) -> str:
        names = [self.name, *self.alias_list]
        return f"{segmentation.index_text(*names, names=names)} {self.search_pinyin()}"

    def search_text(self) -> str:
        return segmentation.index_text(
            self.district, self.address, self.station.name, names=[self.station.name]
        )

    def search_pinyin(self) -> str:
        """Initials and full pinyin of the names and of their short forms: "xy" finds 星宇小区."""
        names = [self.name, *self.alias_list]
        return pinyin.search_key(*names, *(vocabulary.short_name(name) for name in names))


from contacts.pages import DirectoryPage  # noqa: E402,F401  (page models live in pages.py)
