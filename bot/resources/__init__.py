"""The resource library: curated content, forgiving search, bookmarks and suggestions."""
