"""``litreview import``: existing reviews (Manubot, LaTeX, Quarto) as litreview projects."""
