<?php
/*
 * The login of the test IdP (SimpleSamlPhpServer fills in the @...@ values): SimpleSAMLphp's exampleauth:UserPass,
 * users as username:password with their attributes. The hub reads the email from 'mail' and maps roles from
 * 'eduPersonAffiliation'.
 */
$config = [
    'admin' => [
        'core:AdminPassword',
    ],
    'hub-users' => [
        'exampleauth:UserPass',
        '@ADMIN_USER@:@PASSWORD@' => [
            'uid' => ['@ADMIN_USER@'],
            'mail' => ['@ADMIN_MAIL@'],
            'displayName' => ['Hub Admin'],
            'eduPersonAffiliation' => ['member', 'staff'],
        ],
        '@MEMBER_USER@:@PASSWORD@' => [
            'uid' => ['@MEMBER_USER@'],
            'mail' => ['@MEMBER_MAIL@'],
            'displayName' => ['Hub Member'],
            'eduPersonAffiliation' => ['member', 'student'],
        ],
    ],
];
