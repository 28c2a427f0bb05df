import json

from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from faq.enums import QuestionCategory


class FAQIndexPage(Page):
    intro = RichTextField(_("导语"), blank=True, features=["bold", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
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
        context.update(
            questions=questions,
            categories=QuestionCategory.choices,
            active_category=category if valid else "",
            faq_json_ld=faq_json_ld(questions),
        )
        return context


class QuestionPage(Page):
    """One question: its own URL, and an anchor on the index (`#q-<page id>`)."""

    category = models.CharField(
        _("类别"), max_length=20, choices=QuestionCategory.choices, default=QuestionCategory.FEES
    )
    answer = RichTextField(
        _("解答"), features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("category"), FieldPanel("answer")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("answer"),
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["faq_json_ld"] = faq_json_ld([self])
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
