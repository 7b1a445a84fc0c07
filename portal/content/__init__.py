"""The traversal tree: the city, its districts, streets and communities."""
