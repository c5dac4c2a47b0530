"""The built site in a real browser: a small demo register built once, served under a sub-path, driven by chromium.

The session's two demo releases (tests/conftest.py ``published``: 1,200 then 1,300 ODS rows), served
by the GitHub-Pages-like host of tests/static_host.py on 127.0.0.1 with the site at /data-umkm/ (as on
a project page of a static host) at the address the build was told, and Debian's headless chromium
through Playwright. With UMKM_BROWSER_SITE=OUT (a build's output folder) nothing is built: the tests
open OUT/site, served under the path of the address it was built for (its canonical links); the
nightly sets it to the very output it publishes. Checks: every page loads with
no console error and no request off 127.0.0.1; every internal link and download
resolves; the language switch keeps the page; Material's search finds a kelurahan, a
product of a sentra and a data set; every chart and map draws; axe-core finds no serious
or critical violation; no page scrolls sideways on a phone. Screenshots of the home, a
statistics page and a sentra page at desktop and phone widths go to tests/artifacts/
(git-ignored) for a person to look at.

Needs Debian's chromium (/usr/bin/chromium) and axe-core from npm (node_modules/, from
package-lock.json): scripts/setup --dev installs both. Without them the tests are
skipped, except under CI (CI=true), where a missing tool is a failure.
"""

from __future__ import annotations

import html
import html.parser
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.static_host import PagesHost
from umkm import paths
from umkm.catalogue.config import DEFAULT_BASE_URL
from umkm.site import charts

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = paths.REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = paths.REPO / "tests" / "artifacts"
SITE_ENV = "UMKM_BROWSER_SITE"  # a built output folder to open instead of building one
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _missing(what: str) -> None:
    message = f"{what}: run scripts/setup --dev"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the dev requirements have it
    sync_playwright = None


# ------------------------------------------------------------------ fixtures


def given_site() -> Path | None:
    """OUT/site of the output folder UMKM_BROWSER_SITE names (None when it is not set)."""
    given = os.environ.get(SITE_ENV, "").strip()
    if not given:
        return None
    site = Path(given) / paths.SITE
    if not (site / "index.html").is_file():
        pytest.fail(f"{SITE_ENV}={given}: {site / 'index.html'} is missing (it names a build's --out folder)")
    return site


@pytest.fixture(scope="module")
def site(request) -> Path:
    """The site of UMKM_BROWSER_SITE if set; else the session's two releases (tests/conftest.py ``published``),
    so the home page shows what changed and the trend, as a site with a history does."""
    given = given_site()
    if given is not None:
        return given
    return request.getfixturevalue("published").site


@pytest.fixture(scope="module")
def address(site) -> str:
    """The address the site was built for (ends in /): its home page's canonical link without index.html."""
    text = (site / "index.html").read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', text)
    return canonical.group(1).removesuffix("index.html") if canonical else DEFAULT_BASE_URL


@pytest.fixture(scope="module")
def base_url(request, site, address) -> str:
    """The site served under the path of its address (/data-umkm/: 404.html uses absolute paths) by a local
    server; yields its address (ends in /). The session's ``published`` site is served already, at the very
    address it was built for."""
    if given_site() is None:
        yield request.getfixturevalue("published").base
        return
    sub_path = urllib.parse.urlsplit(address).path.strip("/")
    if not sub_path:
        pytest.fail(f"{SITE_ENV}: a site built for an address without a path ({address}) is not served here")
    host = PagesHost(site, sub_path)
    yield host.base_url
    host.close()


@pytest.fixture(scope="module")
def browser():
    if sync_playwright is None:
        _missing("playwright is not installed")
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing (Debian's chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watch:
    """Console errors, page errors, failed and off-host requests of one browser context."""

    def __init__(self, context, host: str):
        self.host = host
        self.errors: list[str] = []
        self.outside: list[str] = []
        context.on("page", self._page)
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))

    def _page(self, page) -> None:
        page.on(
            "console",
            lambda m: m.type in ("error", "assert") and self.errors.append(f"console {m.type} on {page.url}: {m.text}"),
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error on {page.url}: {e}"))

    def _failed(self, request) -> None:
        if request.failure != "net::ERR_ABORTED":  # cut short by the next navigation of the test
            self.errors.append(f"request failed: {request.url} {request.failure}")

    def _request(self, request) -> None:
        url = urllib.parse.urlsplit(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.hostname != self.host:
            self.outside.append(request.url)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=DESKTOP, service_workers="block")
    ctx.watch = Watch(ctx, "127.0.0.1")
    yield ctx
    ctx.close()


def _pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


# ------------------------------------------------------------------ every page


def test_every_page_loads_with_no_console_error_and_no_outside_request(site, base_url, context):
    pages = _pages(site)
    assert len(pages) > 100 and "index.html" in pages and "en/index.html" in pages
    page = context.new_page()
    # Material's search worker indexes the whole site on every page: answer it with a stub here
    # (the search test runs the real one) and count that each page still asks for it locally.
    workers = []

    def stub_worker(route):
        workers.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body="self.onmessage = () => {};")

    page.route("**/assets/javascripts/workers/search.*.js", stub_worker)
    broken_images = []
    for name in pages:
        response = page.goto(base_url + name, wait_until="load")
        assert response is not None and response.status == 200, name
        # every image (charts, maps, locators) decoded and drawn with a size
        broken_images += [
            f"{name}: {src}"
            for src in page.eval_on_selector_all(
                "img",
                "els => els.filter(e => !e.complete || e.naturalWidth === 0 || e.getBoundingClientRect().width"
                " === 0).map(e => e.getAttribute('src'))",
            )
        ]
    assert context.watch.errors == []
    assert context.watch.outside == []
    assert broken_images == []
    # every MkDocs page but the two 404 pages (no search there); the download folders' own pages (unduh/) have none
    assert len(workers) >= len([p for p in pages if not p.startswith("unduh/")]) - 2


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.urls.add(value)


def _status(url: str) -> int:
    request = urllib.request.Request(url, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_every_internal_link_and_download_resolves_under_the_sub_path(site, base_url):
    root = urllib.parse.urlsplit(base_url)
    targets: dict[str, str] = {}  # url -> first page linking to it
    for name in _pages(site):
        parser = _Links()
        parser.feed((site / name).read_text(encoding="utf-8"))
        for raw in parser.urls:
            url = urllib.parse.urljoin(base_url + name, raw)
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc != root.netloc:
                continue  # outside links (licence, sources) are not fetched: no network here
            assert parts.path.startswith(root.path), f"{name} -> {raw} leaves the sub-path"
            targets.setdefault(urllib.parse.urlunsplit(parts._replace(fragment="", query="")), name)
    downloads = [u for u in targets if "/unduh/" in u]
    assert len(targets) > 300 and len(downloads) > 20
    with ThreadPoolExecutor(8) as pool:
        statuses = dict(zip(targets, pool.map(_status, targets)))
    assert {u: (s, targets[u]) for u, s in statuses.items() if s != 200} == {}


def test_python_example_of_a_data_page_reads_the_fixed_and_the_latest_release(site, address, base_url, monkeypatch):
    """The Python lines on a data package page run as written against the served site: once for the
    fixed version they name, once with the version replaced by latest (the pointer descriptor)."""
    import pandas as pd

    text = (site / "data" / "umkm-statistik.html").read_text(encoding="utf-8")
    code = html.unescape(re.search(r"<pre><code>(import json.*?)</code></pre>", text, re.S).group(1))
    version = re.search(r"unduh/([0-9.]+)/umkm-statistik/", code).group(1)
    published = address
    assert f"base = '{published}unduh/{version}/umkm-statistik/'" in code
    real_urlopen = urllib.request.urlopen

    def local(url, *args, **kwargs):  # the published address, served here (no network in tests)
        if isinstance(url, urllib.request.Request):
            url.full_url = url.full_url.replace(published, base_url)
        else:
            url = url.replace(published, base_url)
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", local)
    expected = pd.read_csv(
        site / "unduh" / version / "umkm-statistik" / "menurut_kecamatan.csv",
        dtype={"kecamatan_kode": "string"},
        keep_default_na=False,
        na_values=[""],
    )
    for variant in (code, code.replace(f"/unduh/{version}/", "/unduh/latest/")):
        namespace = {}
        exec(compile(variant, "example.py", "exec"), namespace)  # noqa: S102 - the page's own example
        assert namespace["package"]["version"] == version
        frame = namespace["load"]("menurut_kecamatan")
        assert frame["kecamatan_kode"].equals(expected["kecamatan_kode"]) and len(frame) > 3  # <NA>: unknown
        assert len(namespace["df"]) == len(frame)  # the Parquet line, the same table


# ------------------------------------------------------------------ language, search


def test_language_switch_keeps_the_page(base_url, context):
    page = context.new_page()
    for start, lang, twin in (
        ("statistik/kecamatan.html", "English", "en/statistik/kecamatan.html"),
        ("en/wilayah/balikpapan-utara/batu-ampar.html", "Bahasa Indonesia", "wilayah/balikpapan-utara/batu-ampar.html"),
        ("en/index.html", "Bahasa Indonesia", "index.html"),
    ):
        page.goto(base_url + start)
        page.locator(".md-header__option .md-select").hover()
        page.get_by_role("link", name=lang, exact=True).click()
        page.wait_for_url(base_url + twin)
        assert page.locator("html").get_attribute("lang") == ("en" if lang == "English" else "id")
    # and back again from the twin reached by the switch
    page.goto(base_url + "en/statistik/kecamatan.html")
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="Bahasa Indonesia", exact=True).click()
    page.wait_for_url(base_url + "statistik/kecamatan.html")
    assert context.watch.errors == []


@pytest.mark.parametrize(
    ("start", "query", "expected"),
    [
        ("index.html", "Batu Ampar", "wilayah/balikpapan-utara/batu-ampar.html"),
        ("index.html", "tempe", "sentra/somber.html"),
        ("index.html", "mikrodata", "data/umkm-mikrodata.html"),
        ("en/index.html", "tempeh", "en/sentra/somber.html"),
        ("en/index.html", "microdata", "en/data/umkm-mikrodata.html"),
    ],
)
def test_search_finds_the_right_page(base_url, context, start, query, expected):
    page = context.new_page()
    page.goto(base_url + start)
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=15)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for(timeout=10_000)
    page.wait_for_function(
        "q => document.querySelector('.md-search-result__meta')?.textContent.trim() !== ''", arg=query
    )
    href = first.get_attribute("href")
    assert urllib.parse.urlsplit(href).path == urllib.parse.urlsplit(base_url + expected).path, href
    first.click()
    page.wait_for_url(re.compile(re.escape(base_url + expected)))
    assert context.watch.errors == []


# ------------------------------------------------------------------ charts and maps


def _svgs(site: Path) -> list[str]:
    return sorted(
        str(p.relative_to(site)) for p in site.rglob("*.svg") if "unduh" not in p.parts and "assets" not in p.parts
    )


def test_every_chart_and_map_draws(site, base_url, context):
    svgs = _svgs(site)
    assert len(svgs) > 100
    page = context.new_page()
    page.goto(base_url + "index.html")
    # Each SVG file drawn inline in one page, measured, removed: marks (bars, areas) and labels have a size.
    results = page.evaluate(
        """async urls => {
        const box = el => { const b = el.getBBox(); return b.width > 0 && b.height > 0; };
        const holder = document.body.appendChild(document.createElement('div'));
        const out = {};
        for (const url of urls) {
            const text = await (await fetch(url)).text();
            holder.innerHTML = text;
            const svg = holder.querySelector('svg');
            const marks = [...svg.querySelectorAll('path, rect, polyline, circle')].filter(e => !e.closest('defs'))
                .slice(1);  // the first rect is the white background
            const paths = [...svg.querySelectorAll('path')];
            const rect = svg.getBoundingClientRect();
            out[url] = {svg: rect.width > 0 && rect.height > 0, marks: marks.length,
                        drawn: marks.filter(box).length, paths: paths.length,
                        paths_drawn: paths.filter(box).length,
                        texts_empty: [...svg.querySelectorAll('text')]
                            .filter(t => t.textContent.trim() && !box(t)).length,
                        areas: paths.map(p => [p.getBBox().width, p.getBBox().height, p.getAttribute('fill')])};
            holder.innerHTML = '';
        }
        return out;
    }""",
        [base_url + name for name in svgs],
    )
    empty = {
        url: r
        for url, r in results.items()
        if not (r["svg"] and r["drawn"] > 0 and r["paths"] == r["paths_drawn"] and r["texts_empty"] == 0)
    }
    assert empty == {}
    # The choropleth: one filled area a kecamatan, each drawn, in classes of different colours.
    areas = results[base_url + "statistik/kecamatan-peta.svg"]["areas"]
    assert len(areas) == 6 and all(w > 10 and h > 10 for w, h, _ in areas)
    assert len({fill for _, _, fill in areas}) > 1
    # and in its page, drawn inline across the column (wider than the 400 units it is drawn in)
    page.goto(base_url + "statistik/kecamatan.html")
    box = page.locator(".umkm-peta svg").first.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 500
    assert context.watch.errors == []


# ------------------------------------------------------------------ accessibility and layout

# One page of every kind, in both languages where the kind has its own template.
PAGE_KINDS = (
    "index.html",
    "statistik/kecamatan.html",
    "statistik/pemilik.html",
    "wilayah/balikpapan-utara.html",
    "wilayah/balikpapan-tengah/karang-rejo.html",
    "sentra/somber.html",
    "data/index.html",
    "data/umkm-statistik.html",
    "data/umkm-mikrodata.html",
    "data/kualitas.html",
    "data/perubahan.html",
    "metodologi.html",
    "tentang.html",
    "404.html",
    "en/index.html",
    "en/statistik/pemilik.html",
    "en/wilayah/balikpapan-tengah/karang-rejo.html",
    "en/sentra/teritip.html",
    "en/data/index.html",
    "en/data/perubahan.html",
    "en/404.html",
)
AXE_PAGES = PAGE_KINDS


@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_axe_finds_no_serious_or_critical_violation(base_url, browser, device, viewport):
    if not AXE.exists():
        _missing(f"{AXE} is missing (axe-core from npm)")
    phone = device == "phone"
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, service_workers="block")
    page = context.new_page()
    found = {}
    for name in AXE_PAGES:
        page.goto(base_url + name)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""")
        if violations:
            found[name] = violations
    context.close()
    assert found == {}


SCREENSHOT_PAGES = {
    "beranda": "index.html",
    "statistik-kecamatan": "statistik/kecamatan.html",
    "statistik-kbli": "statistik/kbli.html",
    "kecamatan-balikpapan-utara": "wilayah/balikpapan-utara.html",
    "kelurahan-karang-rejo": "wilayah/balikpapan-tengah/karang-rejo.html",
    "sentra-somber": "sentra/somber.html",
    "data-umkm-statistik": "data/umkm-statistik.html",
    "data-katalog": "data/index.html",
    "en-beranda": "en/index.html",
}


@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_and_no_sideways_scroll(base_url, browser, device, viewport):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone = device == "phone"
    context = browser.new_context(viewport=viewport, device_scale_factor=1, is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        charts_seen = 0
        for stem, name in SCREENSHOT_PAGES.items():
            page.goto(base_url + name)
            target = ARTIFACTS / f"{stem}-{device}.png"
            page.screenshot(path=str(target), full_page=True, animations="disabled")
            assert target.stat().st_size > 10_000
            overflow = page.evaluate("() => document.documentElement.scrollWidth") - viewport["width"]
            assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {viewport['width']} px"
            # chart text stays readable: shown at most at its drawn size, and on a phone no smaller
            # than 12 px for labels (charts.FONT_SIZE) and 11 px for notes (charts.SMALL)
            scales = page.eval_on_selector_all(
                ".umkm-grafik img",
                "els => els.map(e => [e.getAttribute('src'), e.getBoundingClientRect().width / e.naturalWidth])",
            )
            charts_seen += len(scales)
            for src, scale in scales:
                assert scale <= 1.001, (name, src, scale)
                assert charts.FONT_SIZE * scale >= 12 and charts.SMALL * scale >= 11, (name, src, scale)
        assert charts_seen >= 5
    finally:
        context.close()


# ------------------------------------------------------------------ every page, both widths


@pytest.mark.parametrize(("device", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_no_page_is_wider_than_the_viewport(site, base_url, browser, device, viewport):
    phone = device == "phone"
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, service_workers="block")
    page = context.new_page()
    page.route(
        "**/assets/javascripts/workers/search.*.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
    )
    wide = {}
    for name in _pages(site):
        page.goto(base_url + name, wait_until="load")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > viewport["width"]:
            wide[name] = width
    context.close()
    assert wide == {}


def test_every_html_page_is_within_the_page_budget(site):
    heavy = {name: (site / name).stat().st_size for name in _pages(site) if (site / name).stat().st_size > 150_000}
    assert heavy == {}


def test_no_page_speaks_the_other_language(site):
    from test_site_pages import _language_slips

    pages = {name: (site / name).read_text(encoding="utf-8") for name in _pages(site)}
    assert _language_slips(pages) == []


# ------------------------------------------------------------------ a way in for residents


@pytest.mark.parametrize(
    ("start", "typed", "expected"),
    [
        ("index.html", "karang rejo", "wilayah/balikpapan-tengah/karang-rejo.html"),
        ("index.html", "Gunungsamarinda", "wilayah/balikpapan-utara/gunung-samarinda.html"),  # another spelling
        ("en/index.html", "teritip", "en/wilayah/balikpapan-timur/teritip.html"),
    ],
)
def test_the_finder_reaches_a_kelurahan_in_two_steps(base_url, browser, start, typed, expected):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block")
    page = context.new_page()
    page.goto(base_url + start)
    page.locator("#umkm-cari-input").click()
    page.keyboard.type(typed, delay=10)  # step 1: type the name
    first = page.locator("#umkm-cari-daftar li:not([hidden]) a").first
    first.wait_for(state="visible")
    assert (
        "cocok" in page.locator(".umkm-cari-status").inner_text()
        or "matching" in page.locator(".umkm-cari-status").inner_text()
    )
    first.tap()  # step 2: choose it
    page.wait_for_url(base_url + expected)
    # and Enter opens the first match, for a keyboard
    page.goto(base_url + start)
    page.locator("#umkm-cari-input").fill(typed)
    page.locator("#umkm-cari-input").press("Enter")
    page.wait_for_url(base_url + expected)
    context.close()


def test_clicking_a_map_region_opens_its_page_and_the_keyboard_reaches_it(base_url, browser):
    context = browser.new_context(viewport=DESKTOP, service_workers="block")
    page = context.new_page()
    page.goto(base_url + "index.html")
    area = page.locator('.umkm-peta svg a[aria-label^="Karang Joang"] path')
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    assert box and box["width"] > 50
    # a click on the area (where its label lies over it too) opens the kelurahan's page
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(base_url + "wilayah/balikpapan-utara/karang-joang.html")
    # each area is a link a keyboard reaches (Tab) and opens (Enter)
    page.goto(base_url + "statistik/kecamatan.html")
    link = page.locator('.umkm-peta svg a[aria-label^="Balikpapan Timur"]')
    link.focus()
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("Balikpapan Timur")
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "wilayah/balikpapan-timur.html")
    # on a phone a kecamatan page's map still opens a kelurahan with a tap
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block")
    tap = phone.new_page()
    tap.goto(base_url + "wilayah/balikpapan-utara.html")
    target = tap.locator('.umkm-peta svg a[aria-label^="Karang Joang"] path')
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    tap.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tap.wait_for_url(base_url + "wilayah/balikpapan-utara/karang-joang.html")
    phone.close()
    context.close()


def test_every_page_kind_has_an_open_graph_image_of_the_right_size(site, address, base_url):
    from umkm.site import images

    for name in PAGE_KINDS:
        text = (site / name).read_text(encoding="utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)"', text).group(1)
        assert re.search(r'<meta name="twitter:image" content="' + re.escape(image) + '"', text), name
        assert image.startswith(address), (name, image)
        local = base_url + image[len(address) :]  # the published address, served here
        with urllib.request.urlopen(local, timeout=10) as response:
            assert response.status == 200 and response.headers["Content-Type"] == "image/png", (name, local)
            width, height = images.png_size(response.read())
        assert (width, height) == (1200, 630), (name, image)
        declared = [int(v) for v in re.findall(r'<meta property="og:image:(?:width|height)" content="(\d+)"', text)]
        assert declared == [width, height], name
