"""Design tokens shared by the components: one place for sizes and colours."""

SIDEBAR_WIDTH = "15rem"
CONTENT_MAX_WIDTH = "72rem"
PAGE_PADDING = ["0.75rem", "1rem", "1.5rem", "2rem"]
BORDER = "1px solid var(--gray-a5)"
MUTED = "var(--gray-11)"
