-- initial blog schema
--
-- revision: b150c34d488d
-- parents: (none, a base revision)
-- created: 2026-11-21T22:04:37Z
-- dialect: mysql

-- WARNING: destructive: drops table `post_tags` and every row in it
-- WARNING: destructive: drops table `comments` and every row in it
-- WARNING: destructive: drops table `posts` and every row in it
-- WARNING: destructive: drops table `audit_log` and every row in it
-- WARNING: destructive: drops table `authors` and every row in it
-- WARNING: destructive: drops table `tags` and every row in it
-- WARNING: destructive: drops table `organizations` and every row in it

DROP TABLE `post_tags`;

DROP TABLE `comments`;

DROP TABLE `posts`;

DROP TABLE `audit_log`;

DROP TABLE `authors`;

DROP TABLE `tags`;

DROP TABLE `organizations`;
