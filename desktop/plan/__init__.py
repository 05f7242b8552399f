"""The pathway-plan editor: the ten matters, actions, agreement and version history."""
