"""The inventory of personal data (privacy.inventory.registry); the registrations of each
part of the project are loaded by PrivacyConfig.ready."""
