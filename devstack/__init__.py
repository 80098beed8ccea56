"""The whole product on one laptop: moto as DynamoDB and SES, the app, the front end, demo data."""
