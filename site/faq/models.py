import json

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import expand_db_html, get_text_for_indexing
from wagtail.search import index

from chinese_text import segmentation
from core import page_cache
from core.pages import BasePage
from faq.enums import QuestionCategory
from fees.enums import Calculator
from fees.links import calculator_page, check_prefill, prefilled_url
from home.models import HomePage


class FAQIndexPage(BasePage):
    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HomePage]
    subpage_types = ["faq.QuestionPage"]

    class Meta:
        verbose_name = _("常见问题列表")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        questions = QuestionPage.objects.child_of(self).live().order_by("path")
        category = request.GET.get("category", "")
        valid = category in QuestionCategory.values
        if valid:
            questions = questions.filter(category=category)
        questions = list(questions)
        calculators = calculator_page() if any(q.calculator for q in questions) else None
        if calculators:
            page_cache.tag(request, page_cache.page_tag(calculators.pk))
        for question in questions:
            question.calculator_link = question.calculator_url(calculators)
        context.update(
            questions=questions,
            categories=QuestionCategory.choices,
            active_category=category if valid else "",
            faq_json_ld=faq_json_ld(questions),
        )
        return context


class QuestionPage(BasePage):
    """One question: its own URL, and an anchor on the index (`#q-<page id>`)."""

    category = models.CharField(
        _("类别"), max_length=20, choices=QuestionCategory.choices, default=QuestionCategory.FEES
    )
    answer = RichTextField(
        _("解答"), features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )

    calculator = models.CharField(
        _("相关计算器"),
        max_length=20,
        choices=Calculator.choices,
        blank=True,
        help_text=_("解答涉及热费计算时，在解答下方提供“算一算”链接。"),
    )
    calculator_prefill = models.CharField(
        _("计算器预填内容"),
        max_length=200,
        blank=True,
        help_text=_(
            "按解答的情形预先填好计算器，如 use=industrial-school-commercial&ceiling_height=4.5"
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("category"),
        FieldPanel("answer"),
        MultiFieldPanel(
            [FieldPanel("calculator"), FieldPanel("calculator_prefill")], _("热费计算器")
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_title", boost=2),
        index.SearchField("search_text"),
        index.FilterField("category"),
    ]
    parent_page_types = ["faq.FAQIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")

    @property
    def anchor(self) -> str:
        return f"q-{self.pk}"

    def search_title(self) -> str:
        return segmentation.index_text(self.title)

    def search_text(self) -> str:
        return segmentation.index_text(
            self.get_category_display(), get_text_for_indexing(self.answer)
        )

    def clean(self):
        super().clean()
        try:
            check_prefill(self.calculator, self.calculator_prefill)
        except ValidationError as error:
            raise ValidationError({"calculator_prefill": error}) from error

    def calculator_url(self, calculators) -> str:
        """The pre-filled calculator link, given the site's live calculator page (or None)."""
        if not (self.calculator and calculators):
            return ""
        return prefilled_url(calculators, self.calculator, self.calculator_prefill)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["faq_json_ld"] = faq_json_ld([self])
        calculators = calculator_page() if self.calculator else None
        if calculators:
            page_cache.tag(request, page_cache.page_tag(calculators.pk))
        context["calculator_url"] = self.calculator_url(calculators)
        return context


def faq_json_ld(questions) -> str:
    """schema.org FAQPage structured data, safe to embed in a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question.title,
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": strip_tags(expand_db_html(question.answer)).strip(),
                },
            }
            for question in questions
        ],
    }
    encoded = json.dumps(data, ensure_ascii=False)
    # Neutralise "</script>" and friends inside the JSON string.
    encoded = encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(encoded)  # noqa: S308 - escaped above
