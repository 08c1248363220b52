// placeholder header replaced by the Terminal work
