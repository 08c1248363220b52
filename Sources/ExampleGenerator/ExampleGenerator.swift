// ExampleGenerator module.
