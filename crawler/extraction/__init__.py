"""Pure extraction: one fetched page's bytes and HTML in, an Article or a Rejected(reason) out."""
