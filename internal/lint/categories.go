package lint

// CategoryIgnoreDirective is the category of the diagnostic about a
// malformed //grpccancelcheck:ignore directive (no analyzer named, or no
// reason given). Every analyzer that reports through Report
// (Directives.Suppressed) can emit it; docs/rules.md documents it under this anchor.
const CategoryIgnoreDirective = "ignore-directive"
