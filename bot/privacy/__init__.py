"""Members' own data: `/mydata export` and `/mydata delete`, the operator's workspace export,
and the content-free record that a member's data was erased."""
