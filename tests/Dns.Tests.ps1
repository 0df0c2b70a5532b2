BeforeAll {
    . $PSScriptRoot/Common.ps1
    $script:ns = New-TestName 'dns'
    $script:hostResolv = (Get-FileHash /etc/resolv.conf).Hash
    New-NetNamespace -Name $ns | Out-Null
}

AfterAll {
    Remove-TestNamespace $ns
    Remove-Item -Recurse -Force "/etc/netns/$ns" -ErrorAction SilentlyContinue
}

Describe 'Per-namespace DNS (/etc/netns/NAME/resolv.conf)' {
    It 'writes the file that commands inside the namespace see as /etc/resolv.conf' {
        $cfg = Set-NetNamespaceDns -Namespace $ns -ServerAddress 10.0.0.53, fd00::53 -Search lab.test -PassThru
        $cfg.ServerAddress | Should -Be @('10.0.0.53', 'fd00::53')
        $cfg.Search | Should -Be @('lab.test')
        $inside = Invoke-InNamespace $ns -- cat /etc/resolv.conf
        $inside | Should -Contain 'nameserver 10.0.0.53'
        $inside | Should -Contain 'search lab.test'
        (Get-NetNamespaceDns -Namespace $ns).ServerAddress | Should -Be @('10.0.0.53', 'fd00::53')
        (Get-FileHash /etc/resolv.conf).Hash | Should -Be $hostResolv
    }

    It 'refuses a bad server address with InvalidAddress and writes nothing' {
        Set-NetNamespaceDns -Namespace $ns -ServerAddress '10.0.0.999' -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'InvalidAddress*'
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-NetNamespaceDns -Namespace $ns).ServerAddress | Should -Be @('10.0.0.53', 'fd00::53')
    }

    It 'refuses a search domain with a newline (no injected lines)' {
        Set-NetNamespaceDns -Namespace $ns -ServerAddress 10.0.0.1 -Search "a`nnameserver 1.2.3.4" -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSearchDomain*'
        Get-Content "/etc/netns/$ns/resolv.conf" | Should -Not -Contain 'nameserver 1.2.3.4'
    }

    It 'refuses to write through a symlink planted at the file' {
        $victim = Join-Path ([IO.Path]::GetTempPath()) "$ns-victim"
        Set-Content $victim 'untouched'
        try {
            Remove-Item "/etc/netns/$ns/resolv.conf"
            New-Item -ItemType SymbolicLink -Path "/etc/netns/$ns/resolv.conf" -Target $victim | Out-Null
            Set-NetNamespaceDns -Namespace $ns -ServerAddress 10.0.0.1 -ErrorVariable ev -ErrorAction SilentlyContinue
            $ev[0].FullyQualifiedErrorId | Should -BeLike 'SymlinkRefused*'
            $ev[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            Get-Content $victim | Should -Be 'untouched'
        } finally {
            Remove-Item "/etc/netns/$ns/resolv.conf" -Force -ErrorAction SilentlyContinue
            Remove-Item $victim -ErrorAction SilentlyContinue
        }
    }

    It 'errors NamespaceNotFound for a missing namespace' {
        Set-NetNamespaceDns -Namespace (New-TestName 'nx') -ServerAddress 10.0.0.1 -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound*'
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'Remove-NetNamespace removes the namespace''s /etc/netns directory' {
        $n2 = New-TestName 'dns'
        try {
            New-NetNamespace $n2 | Out-Null
            Set-NetNamespaceDns -Namespace $n2 -ServerAddress 10.0.0.1
            Test-Path "/etc/netns/$n2/resolv.conf" | Should -BeTrue
            Remove-NetNamespace $n2
            Test-Path "/etc/netns/$n2" | Should -BeFalse
        } finally { Remove-TestNamespace $n2; Remove-Item -Recurse -Force "/etc/netns/$n2" -ErrorAction SilentlyContinue }
    }
}
