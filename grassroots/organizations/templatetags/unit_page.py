"""`{% cached_if key %}…{% endcached_if %}`: the enclosed part of a page from the cache under
`key`, or rendered every time when `key` is empty.

The unit page renders its unchanging parts (header, figures, actions) once per unit, language,
user's permissions and figures version of the top units above the unit (the version an app above
provides through `organizations.hooks`: every change under them moves it, in the change's own
transaction): the view builds the key, and leaves it empty where the page depends on the request
(a date asked).
"""

from django import template
from django.core.cache import cache

register = template.Library()

CACHE_SECONDS = 3600


class CachedIfNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context) -> str:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        key = f"page-part:{key}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, CACHE_SECONDS)
        return html


@register.tag("cached_if")
def cached_if(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% cached_if key %} takes one argument.")
    nodelist = parser.parse(("endcached_if",))
    parser.delete_first_token()
    return CachedIfNode(nodelist, parser.compile_filter(bits[1]))
