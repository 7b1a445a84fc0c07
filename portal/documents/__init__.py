"""Filed documents of a community, published by district staff for its owners to read."""
