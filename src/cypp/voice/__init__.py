"""Children and young people's voice: consultations, outcome stories and child-friendly figures.

Pure Python: the web app stores and shows these; the rules (agreement figures,
screening free text before publication, reading age, the village of 100) live here.
"""
