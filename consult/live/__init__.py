"""Live sessions: what the shared screen shows, refreshed within seconds.

- `presenter_data`: the presenter view's reads, cheap enough for every couple of seconds; `refreshing`: results
  one app server shares between sessions and refreshes off the request path; `kept`: the latest value per key
  that a refresh starts from; `qr`: the join QR code and link.

May import `consult.support`, `consult.publishing` (suppression), `consult.regions` and `consult.storage`; never
the app.
"""
