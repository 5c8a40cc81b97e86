CREATE TABLE articles (  seq INTEGER PRIMARY KEY AUTOINCREMENT,  id TEXT NOT NULL UNIQUE,  ext_id TEXT,  source TEXT NOT NULL,  line INTEGER NOT NULL DEFAULT 0,  url TEXT,  site TEXT,  title TEXT NOT NULL,  text TEXT NOT NULL,  lang TEXT NOT NULL,  lang_score REAL NOT NULL,  lang_reliable INTEGER NOT NULL,  langs TEXT NOT NULL,  chars INTEGER NOT NULL,  words INTEGER NOT NULL,  sentences INTEGER NOT NULL,  published INTEGER,  ingested INTEGER NOT NULL,  encoding TEXT NOT NULL,  invalid_bytes INTEGER NOT NULL,  problems TEXT NOT NULL, facts TEXT);
CREATE INDEX articles_ext_id ON articles(ext_id);
CREATE INDEX articles_lang ON articles(lang);
CREATE TABLE entities (  id TEXT PRIMARY KEY,  type INTEGER NOT NULL,  name TEXT NOT NULL,  country TEXT,  geoname INTEGER,  lat REAL,  lon REAL);
CREATE TABLE entity_keys (  key TEXT PRIMARY KEY,  entity TEXT NOT NULL);
CREATE TABLE entity_names (  entity TEXT NOT NULL,  name TEXT NOT NULL,  lang TEXT NOT NULL,  n INTEGER NOT NULL DEFAULT 0,  PRIMARY KEY (entity, name, lang));
CREATE TABLE mentions (  article TEXT NOT NULL,  entity TEXT NOT NULL,  n INTEGER NOT NULL,  PRIMARY KEY (article, entity));
CREATE INDEX mentions_entity ON mentions(entity);
