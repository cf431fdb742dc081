"""The bundled demo: a small multilingual corpus, a static site builder and a loopback server.

`python -m demo.site --out DIR` renders the corpus as the provincial newspapers and
www.vietnam.vn would show it; `python -m demo.serve --root DIR` serves that tree on
127.0.0.1 so the crawler can be tried end to end without a network.

The builder (`demo.site`) asks each page's template family (`demo.families`, one class
per CMS behind `SiteFamily`) for what differs between sites; `demo.corpus` reads the
records, `demo.profiles` names the hosts and the planted pitfalls, `demo.markup` holds the
markup every site shares.
"""
