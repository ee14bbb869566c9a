<?php
/*
 * The login of the test IdP (SimpleSamlPhpServer fills in the @...@ values): SimpleSAMLphp's exampleauth:UserPass,
 * users as username:password with their attributes, as an eduPerson directory has them. The hub reads the email from
 * 'mail' and maps roles from 'eduPersonAffiliation'.
 */
$config = [
    'admin' => [
        'core:AdminPassword',
    ],
    'hub-users' => [
        'exampleauth:UserPass',
        '@ADMIN_USER@:@PASSWORD@' => [
            'uid' => ['@ADMIN_USER@'],
            'eduPersonPrincipalName' => ['@ADMIN_USER@@hub-idp.example.test'],
            'mail' => ['@ADMIN_MAIL@'],
            'displayName' => ['Hub Admin'],
            'eduPersonAffiliation' => ['member', 'staff'],
        ],
        '@MEMBER_USER@:@PASSWORD@' => [
            'uid' => ['@MEMBER_USER@'],
            'eduPersonPrincipalName' => ['@MEMBER_USER@@hub-idp.example.test'],
            'mail' => ['@MEMBER_MAIL@'],
            'displayName' => ['Hub Member'],
            'eduPersonAffiliation' => ['member', 'student'],
        ],
    ],
];
