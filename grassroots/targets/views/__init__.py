"""Pages of resolutions, their targets and the figures reported on them, by page group:
`resolutions` (the list, a resolution's page and its forms), `targets` (a target's forms),
`review` (the review of any date, its export and the adopted reviews), `entry` (the
data-entry grid and the approval flow), `comparison`, `indicators` (the catalogue) and
`uploads` (the offline template and its upload).

Thin adapters: they parse input, call a service or selector and render. Access: outside the
user's subtrees → 404; a read-only role writing → 403; figures are approved by managers (the
services decide who, and say no with PermissionDenied).
"""
