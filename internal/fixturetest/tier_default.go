//go:build !integration

package fixturetest

const integration = false
