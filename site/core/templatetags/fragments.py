"""{% fragment "name" id ... tags=tag_list %}…{% endfragment %}: the enclosed part rendered
once per process and kept while the page-cache tags in `tag_list` (and those recorded while it
renders) are unchanged (core.fragments). Nothing inside may set a variable used outside it."""

from django import template

from core import fragments, page_cache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts, tags):
        self.nodelist, self.parts, self.tags = nodelist, parts, tags

    def render(self, context):
        key = tuple(_hashable(part.resolve(context)) for part in self.parts)
        tags = self.tags.resolve(context) or ()
        return fragments.render(
            context.get("request"), key, tags, lambda: self.nodelist.render(context)
        )


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


@register.tag
def fragment(parser, token):
    bits = token.split_contents()[1:]
    tags = [bit for bit in bits if bit.startswith("tags=")]
    if not bits or len(tags) != 1:
        raise template.TemplateSyntaxError(
            '{% fragment "name" [id …] tags=list %} takes a name and one tags= argument'
        )
    parts = [parser.compile_filter(bit) for bit in bits if not bit.startswith("tags=")]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parts, parser.compile_filter(tags[0][len("tags=") :]))


@register.simple_tag(takes_context=True)
def tag_response(context, tags) -> str:
    """Tag the response (core.page_cache) with what a fragment shows, from inside it: read
    only when the fragment is rendered, kept with it and given to the response on every use."""
    page_cache.tag(context.get("request"), *tags)
    return ""
