"""The decree's statistics (tables T1–T6): definitions, rules and computation, without SQL or Qt."""
