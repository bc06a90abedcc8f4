"""Board reports: one report model, rendered as HTML, tagged PDF, Word and Excel.

:func:`~cypp.reports.model.build_board_pack` turns a plan, its ratings and data
series into a :class:`~cypp.reports.model.BoardPack`; each renderer module turns
that pack into one format. Nothing here imports Django: the web app feeds the
builder from the database and the command line feeds it from files.
"""
