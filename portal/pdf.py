"""Every PDF the portal makes, from one place: a page template rendered to HTML (so every text is
escaped as on any page) and typeset by weasyprint with Debian's Noto CJK fonts embedded.

Nothing a PDF shows is fetched from outside: the only resources a PDF may load are the portal's
own print style sheet and images given inline, so a title that looks like markup or names a URL
or a local file stays text (``fetch`` refuses everything else).
"""
import importlib.resources

PRINT_CSS = "print.css"
FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


class FetchRefused(ValueError):
    pass


def fetcher():
    """weasyprint's URL fetcher, allowed the print style sheet and inline data only."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PortalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url == f"portal:{PRINT_CSS}":
                css = (importlib.resources.files("portal.static") / PRINT_CSS).read_bytes()
                return URLFetcherResponse(url, css, {"Content-Type": "text/css; charset=utf-8"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise FetchRefused(url)          # weasyprint leaves the resource out and goes on

    return PortalFetcher(allowed_protocols=("data", "portal"))


def from_html(html):
    """PDF bytes of an HTML document (which links ``portal:print.css`` for its layout)."""
    from weasyprint import HTML

    return HTML(string=html, base_url="portal:", url_fetcher=fetcher()).write_pdf()


def render(template, values, request):
    """PDF bytes of ``template`` (a page template under templates/pdf/) with ``values``."""
    from pyramid.renderers import render as render_html

    return from_html(render_html(template, values, request=request))


def fonts_present():
    """The CJK fonts PDFs embed, missing ones named (portal-check reports them)."""
    import os

    return [path for path in FONTS if not os.path.exists(path)]
