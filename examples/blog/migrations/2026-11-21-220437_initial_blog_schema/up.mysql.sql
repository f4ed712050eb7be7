-- initial blog schema
--
-- revision: b150c34d488d
-- parents: (none, a base revision)
-- created: 2026-11-21T22:04:37Z
-- dialect: mysql


CREATE TABLE `organizations` (
    `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
    `name` VARCHAR(100) NOT NULL,
    `slug` VARCHAR(50) NOT NULL,
    `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
);

CREATE UNIQUE INDEX `uq_organizations_slug` ON `organizations` (`slug`);

CREATE TABLE `tags` (
    `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
    `name` VARCHAR(40) NOT NULL
);

CREATE UNIQUE INDEX `uq_tags_name` ON `tags` (`name`);

CREATE TABLE `authors` (
    `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
    `organization_id` BIGINT NOT NULL,
    `display_name` VARCHAR(80) NOT NULL,
    `email` VARCHAR(255) NOT NULL,
    `bio` TEXT,
    `active` BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT `fk_authors_organization_id_organizations` FOREIGN KEY (`organization_id`) REFERENCES `organizations` (`id`) ON DELETE CASCADE
);

CREATE INDEX `ix_authors_organization_id_display_name` ON `authors` (`organization_id`, `display_name`);

CREATE UNIQUE INDEX `uq_authors_email` ON `authors` (`email`);

CREATE TABLE `audit_log` (
    `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
    `action` VARCHAR(40) NOT NULL,
    `author_id` BIGINT,
    `at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT `fk_audit_log_author_id_authors` FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`) ON DELETE SET NULL
);

CREATE INDEX `ix_audit_log_action` ON `audit_log` (`action`);

CREATE TABLE `posts` (
    `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
    `author_id` BIGINT NOT NULL,
    `title` VARCHAR(200) NOT NULL,
    `body` TEXT NOT NULL,
    `status` VARCHAR(20) NOT NULL DEFAULT 'draft',
    `published_at` DATETIME(6),
    `view_count` INT NOT NULL DEFAULT 0,
    CONSTRAINT `fk_posts_author_id_authors` FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`) ON DELETE CASCADE,
    CONSTRAINT `ck_posts_title` CHECK (length(title) > 0)
);

CREATE INDEX `ix_posts_author_id_published_at` ON `posts` (`author_id`, `published_at`);

CREATE TABLE `comments` (
    `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
    `post_id` BIGINT NOT NULL,
    `author_id` BIGINT,
    `body` TEXT NOT NULL,
    `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    CONSTRAINT `fk_comments_post_id_posts` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_comments_author_id_authors` FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`) ON DELETE SET NULL
);

CREATE TABLE `post_tags` (
    `post_id` BIGINT NOT NULL,
    `tag_id` BIGINT NOT NULL,
    PRIMARY KEY (`post_id`, `tag_id`),
    CONSTRAINT `fk_post_tags_post_id_posts` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE CASCADE,
    CONSTRAINT `fk_post_tags_tag_id_tags` FOREIGN KEY (`tag_id`) REFERENCES `tags` (`id`) ON DELETE CASCADE
);
