"""Hostile text: payloads that would run script if any output path let them through.

Each payload that can run sets ``window.__xss`` to its own number, so a browser test can
tell which one got through. They cover script tags, event-handler attributes,
``javascript:`` URLs, SVG and MathML tricks, Markdown that becomes HTML, LaTeX that
MathJax would typeset, unclosed and malformed tags, and template syntax.
"""

from __future__ import annotations

PAYLOADS: tuple[str, ...] = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=2">',
    '<svg onload="window.__xss=3">',
    "<svg><script>window.__xss=4</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=5">'
    "</style></mglyph></table></mtext></math>",
    '<a href="javascript:window.__xss=6">click me</a>',
    '<iframe src="javascript:window.__xss=7"></iframe>',
    '<body onload="window.__xss=8">',
    '<details open ontoggle="window.__xss=9">',
    '"><script>window.__xss=10</script>',
    "'><img src=x onerror=window.__xss=11>",
    "<IMG SRC=javascript:window.__xss=12>",
    '<img src="x" onerror="&#119;indow.__xss=13">',
    "[click](javascript:window.__xss=14)",
    '![x](x" onerror="window.__xss=15)',
    '<div style="background:url(javascript:window.__xss=16)">styled</div>',
    "$\\href{javascript:window.__xss=17}{click}$",
    "$<img src=x onerror=window.__xss=18>$",
    '<object data="javascript:window.__xss=19"></object>',
    '<embed src="javascript:window.__xss=20">',
    '<form action="javascript:window.__xss=21"><button>go</button></form>',
    '<input autofocus onfocus="window.__xss=22">',
    '<video><source onerror="window.__xss=23"></video>',
    '<audio src=x onerror="window.__xss=24">',
    '<marquee onstart="window.__xss=25">m</marquee>',
    "<style>@import 'javascript:window.__xss=26';</style>",
    '<link rel=stylesheet href="javascript:window.__xss=27">',
    '<base href="javascript:window.__xss=28//">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=29">',
    "<scr<script>ipt>window.__xss=30</scr</script>ipt>",
    "<<script>window.__xss=31//<</script>",
    "<img src=x onerror=window.__xss=32",
    "<!--<script>window.__xss=33</script>-->",
    "]]><script>window.__xss=34</script>",
    "`<script>window.__xss=35</script>`",
    "<x onclick=window.__xss=36 style=display:block;position:fixed;inset:0>x</x>",
    '<svg><animate onbegin="window.__xss=37" attributeName=x dur=1s>',
    "{{ 7*7 }} ${7*7} <%= 7*7 %> {% raw %}",
    "data:text/html,<script>window.__xss=39</script>",
    "\\(<img src=x onerror=window.__xss=40>\\) $$\\unicode{x41}$$",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=41>">',
    "<template><script>window.__xss=42</script></template><slot onclick=window.__xss=42>",
)
