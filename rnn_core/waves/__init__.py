"""Wave regressor: endless wave streams, the regressor, and the live trainer with clipping and collapse checks."""
