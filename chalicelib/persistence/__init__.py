"""The only package that imports pynamodb: models, keys and named access patterns."""
