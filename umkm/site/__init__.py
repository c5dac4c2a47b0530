"""Site: packages and earlier releases -> MkDocs pages, charts, maps, and the built site."""
