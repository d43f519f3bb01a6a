BEGIN TRANSACTION;
CREATE TABLE accounts (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    balance_cents INTEGER,
    currency TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, id)
);
INSERT INTO "accounts" VALUES(7,'credit','credit','Personal credit',1250,'EUR',0);
INSERT INTO "accounts" VALUES(7,'cc:marketing','costCenter','Marketing',NULL,'EUR',1);
INSERT INTO "accounts" VALUES(8,'credit','credit','Personal credit',80,'EUR',2);
INSERT INTO "accounts" VALUES(10,'credit','credit','Personal credit',500,'EUR',3);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_us INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor_id INTEGER,
    actor TEXT,
    owner_id INTEGER,
    owner TEXT,
    previous_owner_id INTEGER,
    job_ids TEXT NOT NULL,
    amount_cents INTEGER,
    account TEXT,
    project_id INTEGER NOT NULL DEFAULT 0,
    reason TEXT
);
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    submitted_us INTEGER NOT NULL,
    favorite INTEGER NOT NULL DEFAULT 0,
    duplex INTEGER NOT NULL DEFAULT 0,
    color INTEGER NOT NULL DEFAULT 0,
    page_count INTEGER NOT NULL,
    color_count INTEGER NOT NULL DEFAULT 0,
    copies INTEGER NOT NULL DEFAULT 1,
    paper_state INTEGER,
    state TEXT NOT NULL,
    project_id INTEGER NOT NULL DEFAULT 0,
    account TEXT,
    queue TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT 0,
    computer TEXT NOT NULL DEFAULT '',
    uuid TEXT,
    expires_us INTEGER,
    interaction INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    cost_cents INTEGER NOT NULL CHECK (cost_cents >= 0),
    charged_cents INTEGER,
    charged_account TEXT,
    print_done_us INTEGER,
    UNIQUE (owner_id, uuid)
);
INSERT INTO "jobs" VALUES(101,7,'Board minutes.pdf',1772443080000000,0,0,0,4,0,1,5,'ready',0,NULL,'direct',182344,'PC-007',NULL,1772529480000000,0,1,24,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(102,7,'Campaign slides.pptx',1772440200000000,0,0,1,12,12,1,5,'paused',0,NULL,'secure',8412006,'PC-007',NULL,1772526600000000,1,1,264,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(103,7,'Flyer.pdf',1772436600000000,0,1,1,2,2,10,5,'ready',1,NULL,'direct',2310512,'PC-007',NULL,1772523000000000,0,1,420,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(104,7,'Train tickets Berlin.pdf',1772442300000000,0,0,0,2,0,1,5,'ready',0,NULL,'direct',96870,'PC-007',NULL,1772528700000000,0,1,12,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(105,7,'Quarterly report Q3.docx',1772433000000000,0,1,1,18,3,2,5,'ready',3,NULL,'direct',4002118,'PC-007',NULL,1772519400000000,0,1,276,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(106,7,'Expense claim.xlsx',1772425800000000,0,0,0,1,0,1,5,'ready',0,NULL,'direct',41207,'PC-007',NULL,1772512200000000,0,1,6,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(107,7,'Team offsite agenda.docx',1772371800000000,0,0,1,3,1,3,5,'ready',0,NULL,'direct',120775,'PC-007',NULL,1772458200000000,0,1,102,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(108,7,'Weekly status template.docx',1772271000000000,1,1,0,2,0,1,5,'printed',0,'credit','direct',58310,'PC-007',NULL,NULL,0,1,10,10,'credit',1772271060000000);
INSERT INTO "jobs" VALUES(109,7,'Boarding pass.pdf',1772184600000000,0,0,1,1,1,1,5,'printed',0,'credit','direct',310442,'PC-007',NULL,NULL,0,1,22,22,'credit',1772184660000000);
INSERT INTO "jobs" VALUES(110,8,'Shipping labels.pdf',1772441400000000,0,0,0,3,0,1,5,'ready',0,NULL,'direct',77019,'PC-008',NULL,1772527800000000,0,1,18,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(111,8,'Workshop handout.pdf',1772434800000000,0,1,1,8,2,2,5,'ready',5,NULL,'secure',1204330,'PC-008',NULL,1772521200000000,0,1,144,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(112,8,'Parking permit.pdf',1772429400000000,0,0,1,1,1,1,5,'ready',0,NULL,'direct',205118,'PC-008',NULL,1772515800000000,0,1,22,NULL,NULL,NULL);
INSERT INTO "jobs" VALUES(113,8,'Invoice INV-0412.pdf',1772422200000000,0,0,0,2,0,1,5,'ready',0,NULL,'direct',64992,'PC-008',NULL,1772508600000000,0,1,12,NULL,NULL,NULL);
CREATE TABLE lockouts (key TEXT PRIMARY KEY, until_us INTEGER NOT NULL);
INSERT INTO "lockouts" VALUES('addr:10.0.0.9',1772444700000000);
INSERT INTO "lockouts" VALUES('card:0eff745fab32a670707aff626e93607a5138f4caa1da29c3995f0c37f1c38ef0',1772444700000000);
CREATE TABLE login_failures (key TEXT NOT NULL, at_us INTEGER NOT NULL);
INSERT INTO "login_failures" VALUES('addr:10.0.0.9',1772443800000000);
INSERT INTO "login_failures" VALUES('card:0eff745fab32a670707aff626e93607a5138f4caa1da29c3995f0c37f1c38ef0',1772443800000000);
INSERT INTO "login_failures" VALUES('addr:10.0.0.9',1772443800000000);
INSERT INTO "login_failures" VALUES('card:0eff745fab32a670707aff626e93607a5138f4caa1da29c3995f0c37f1c38ef0',1772443800000000);
INSERT INTO "login_failures" VALUES('addr:10.0.0.9',1772443800000000);
INSERT INTO "login_failures" VALUES('card:0eff745fab32a670707aff626e93607a5138f4caa1da29c3995f0c37f1c38ef0',1772443800000000);
INSERT INTO "login_failures" VALUES('addr:10.0.0.9',1772443800000000);
INSERT INTO "login_failures" VALUES('card:0eff745fab32a670707aff626e93607a5138f4caa1da29c3995f0c37f1c38ef0',1772443800000000);
INSERT INTO "login_failures" VALUES('addr:10.0.0.9',1772443800000000);
INSERT INTO "login_failures" VALUES('card:0eff745fab32a670707aff626e93607a5138f4caa1da29c3995f0c37f1c38ef0',1772443800000000);
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
INSERT INTO "meta" VALUES('salt',X'4E3729AF8DED56ED205850F28D501C76CC669ED02B33C665142C2542D185F866');
INSERT INTO "meta" VALUES('secret_key',X'F0C6EB37FE62F990ECE029F81F55322A7B28FB7130AE4B0F61AF011F03C05435');
INSERT INTO "meta" VALUES('schema',X'31');
INSERT INTO "meta" VALUES('seeded',X'64656D6F');
CREATE TABLE projects (
    id INTEGER PRIMARY KEY CHECK (id > 0),
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT ''
);
INSERT INTO "projects" VALUES(1,'Marketing Q4 campaign','MKT-Q4');
INSERT INTO "projects" VALUES(2,'Product launch','PL-NEXT');
INSERT INTO "projects" VALUES(3,'Annual report','AR-2026');
INSERT INTO "projects" VALUES(4,'Trade fair Hamburg','TF-HAM');
INSERT INTO "projects" VALUES(5,'Customer workshop','CW-11');
INSERT INTO "projects" VALUES(6,'Internal training','IT-TRN');
CREATE TABLE queues (
    name TEXT PRIMARY KEY,
    duplex_question_over INTEGER
);
INSERT INTO "queues" VALUES('secure',10);
INSERT INTO "queues" VALUES('direct',NULL);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_us INTEGER NOT NULL,
    expires_us INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "sessions" VALUES('b10692de3bf7ad9ce6dd34842716ca70',7,'station-demo','jobs offline.access',1772443800000000,1772487000000000,0);
CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    expires_us INTEGER NOT NULL
);
INSERT INTO "tokens" VALUES('8013d644f25a7406f67ff337e9c0908c1624317f99f708d7425d003bc44f2c93','b10692de3bf7ad9ce6dd34842716ca70','access',1772445600000000);
INSERT INTO "tokens" VALUES('c833a6e145e1fbc1141a65cba587534ce7f660f8e39bee0e7ea20fae4d3d6e90','b10692de3bf7ad9ce6dd34842716ca70','refresh',1772487000000000);
CREATE TABLE user_projects (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, project_id)
);
INSERT INTO "user_projects" VALUES(7,1);
INSERT INTO "user_projects" VALUES(7,3);
INSERT INTO "user_projects" VALUES(7,5);
INSERT INTO "user_projects" VALUES(8,1);
INSERT INTO "user_projects" VALUES(8,2);
INSERT INTO "user_projects" VALUES(8,3);
INSERT INTO "user_projects" VALUES(8,4);
INSERT INTO "user_projects" VALUES(8,5);
INSERT INTO "user_projects" VALUES(8,6);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name TEXT NOT NULL,
    email TEXT,
    language TEXT,
    role TEXT NOT NULL CHECK (role IN ('user', 'helpdesk')),
    accounting TEXT,
    project_required INTEGER NOT NULL DEFAULT 0,
    default_account TEXT,
    pin_hash TEXT UNIQUE,
    card_hash TEXT UNIQUE,
    pwd_hash TEXT
);
INSERT INTO "users" VALUES(7,'alice','Alice Martin','alice@example.org','en','user','costCenter',0,'credit','39633441c3e1c36f20d8f248bd5cfbad42b345a264b993016a801c58048e30b7','0eff745fab32a670707aff626e93607a5138f4caa1da29c3995f0c37f1c38ef0','0ada2539a7787a3d7b3dd493cf22481e4597b99821becb5797b32af68fc4c016');
INSERT INTO "users" VALUES(8,'bob','Bob Keller','bob@example.org','en','user','group',1,'credit','ccb8cdef58e7ff112565d9da7949e2e58abd0a1a60b21b3624466b0ad54635a2','0e4b81bd571171222eb5f61c04e075f6ca374efbc0638c5273c8b50f2ff0bf75',NULL);
INSERT INTO "users" VALUES(9,'carol','Carol Nguyen','carol@example.org','en','helpdesk',NULL,0,NULL,NULL,NULL,'2c13bf69756aa4be217dfea843cc0bf1bc08c3637487859ce61e47ef6000e6ba');
INSERT INTO "users" VALUES(10,'dave','Dave Okafor','dave@example.org','en','user','group',0,'credit','e887ed51f717e448b3b3478326e0d13a872ad5bf674f21650b7525e9b9c313a5',NULL,NULL);
CREATE INDEX jobs_owner_state ON jobs (owner_id, state);
CREATE INDEX jobs_state_done ON jobs (state, print_done_us);
CREATE INDEX jobs_state_expires ON jobs (state, expires_us);
CREATE INDEX jobs_submitted ON jobs (submitted_us, id);
CREATE INDEX audit_owner ON audit (owner_id);
CREATE INDEX tokens_session ON tokens (session_id);
CREATE INDEX login_failures_key ON login_failures (key, at_us);
DELETE FROM "sqlite_sequence";
INSERT INTO "sqlite_sequence" VALUES('jobs',113);
COMMIT;
