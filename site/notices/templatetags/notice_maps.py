from django import template

from notices.maps.svg import notice_map

register = template.Library()


@register.inclusion_tag("notices/includes/notice_map.html")
def notice_map_figure(notice):
    return {"map": notice_map(notice), "utility": notice.utility_label}
