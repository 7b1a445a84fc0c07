"""Full-text search over notices and filed documents, Chinese by character bigrams."""
