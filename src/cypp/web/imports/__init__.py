"""Import review: an uploaded plan document becomes a draft a person checks, item by item,
before it is stored as a plan."""
