// Ids the schema creates (db/migrations.ts), here without the schema so the website can import them.

/** The collection every document of a store that predates collections is in, granted to everyone. */
export const GENERAL_COLLECTION_ID = "00000000-0000-4000-8000-000000000001";

/** The assistant a store's configuration became when assistants came: every user's, over every readable collection. */
export const DEFAULT_ASSISTANT_ID = "00000000-0000-4000-8000-000000000002";
