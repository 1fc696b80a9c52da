"""The domain: entities, vocabulary and rules of decree No. 997, with no Qt and no SQL."""
