<?php
/*
 * SimpleSAMLphp's configuration for the in-server tests (SimpleSamlPhpServer fills in the @...@ values). Only what a
 * server of one's own must say: where its files are, its secrets, the login module, plain http on loopback. Every
 * SAML option (NameID format, signing, algorithms, attribute NameFormat) keeps SimpleSAMLphp's default.
 */
$config = [
    'baseurlpath' => 'simplesaml/',
    'certdir' => '@DIR@/cert/',
    'metadatadir' => '@DIR@/metadata/',
    'loggingdir' => '@DIR@/log/',
    'datadir' => '@DIR@/var/',
    'tempdir' => '@DIR@/var/tmp',
    // Debian's attribute maps (name2oid and the others), read only.
    'attributenamemapdir' => '/etc/simplesamlphp/attributemap/',

    'secretsalt' => '@SECRET_SALT@',
    'auth.adminpassword' => '@ADMIN_PASSWORD@',
    'admin.protectindexpage' => false,
    'admin.protectmetadata' => false,
    'admin.checkforupdates' => false,
    'technicalcontact_name' => 'Hub tests',
    'technicalcontact_email' => 'idp-admin@example.test',
    'timezone' => 'UTC',

    'logging.level' => SimpleSAML\Logger::INFO,
    'logging.handler' => 'file',
    'logging.logfile' => 'simplesamlphp.log',

    'enable.saml20-idp' => true,
    'module.enable' => [
        'exampleauth' => true,
        'core' => true,
        'saml' => true,
    ],

    // Plain http on loopback: cookies without the Secure flag, or the browser would not send them back.
    'session.cookie.secure' => false,
    'language.cookie.secure' => false,
    'session.phpsession.savepath' => '@DIR@/var/sessions',

    'metadata.sources' => [
        ['type' => 'flatfile'],
    ],
    'store.type' => 'phpsession',
];
