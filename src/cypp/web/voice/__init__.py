"""Children and young people's voice: consultations, outcome stories and the children's page."""
