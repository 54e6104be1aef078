package store

// PrivacySchema exposes the migration text to the tests.
const PrivacySchema = privacySchema
