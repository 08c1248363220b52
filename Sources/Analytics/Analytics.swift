// Analytics module.
